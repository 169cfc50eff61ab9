"""The users resource: register, read, list (admin) and change (admin)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status

from chassis.app import links, problems
from chassis.auth import CurrentPrincipal, Principal, require_roles
from chassis.db import next_id
from chassis.idempotency import Idempotency, idempotency
from users.adapters.work import SqlUserWork
from users.api.deps import Hasher, Recent, Tx
from users.api.schemas import ID_CURSOR, NEXT_PAGE, UserCreate, UserPage, UserPublic, UserUpdate
from users.service import administration, registration
from users.service.errors import UserNotFound
from users.service.model import Role, UserChanges
from users.service.ports import UserFilter
from users.service.privacy import shows_email

router = APIRouter(prefix="/v1/users", tags=["users"])

Admin = Annotated[Principal, Depends(require_roles("admin"))]
UserId = Annotated[int, Path(ge=1, lt=2**63, description="The user's snowflake id.")]
REGISTERED = links(201, "GET /v1/users/{user_id}", "PATCH /v1/users/{user_id}", user_id="id")
# The password goes into the request's fingerprint stretched, never as a plain digest.
Registering = Annotated[Idempotency, Depends(idempotency(secrets=("password",)))]


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=UserPublic,
    responses=problems(409) | REGISTERED,
)
async def register_user(
    body: UserCreate, tx: Tx, hasher: Hasher, idempotency: Registering
) -> Response:
    """Self-registration: the new account is a technician. Retrying with the same
    `Idempotency-Key` and body gets the first answer again. An email that is already
    registered answers the same way, but no account is created (who has an account stays
    private)."""
    registering = registration.Registration(body.username, body.email, body.password)

    def register(work: SqlUserWork) -> UserPublic:  # in a worker thread: the hash takes ~50 ms
        user = registration.register_self(
            registering, new_id=next_id(), users=work.users, hasher=hasher, events=work.events
        )
        return UserPublic.of(user, show_email=True)  # the account's own details

    return await idempotency.answer_in(tx, register, status=status.HTTP_201_CREATED)


@router.get("/me")
async def read_me(principal: CurrentPrincipal, recent: Recent) -> UserPublic:
    """The account the access token belongs to."""
    if principal.user_id is None:
        raise UserNotFound("a service account has no user record")
    return await _found(recent, principal.user_id, principal)


@router.get("")
async def list_users(
    _: Admin,
    tx: Tx,
    role: Role | None = None,
    active: bool | None = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    cursor: Annotated[str | None, Query(pattern=ID_CURSOR, description=NEXT_PAGE)] = None,
) -> UserPage:
    """Accounts in creation order, filtered by role and active; admins only."""
    where = UserFilter(role=role, active=active)
    page = await tx.read(lambda work: work.users.page(where, limit=limit, cursor=cursor))
    items = [UserPublic.of(u, show_email=True) for u in page.items]  # admins only
    return UserPage(items=items, next_cursor=page.next_cursor)


@router.get("/{user_id}", responses=problems(404))
async def read_user(user_id: UserId, principal: CurrentPrincipal, recent: Recent) -> UserPublic:
    """One account (any authenticated caller: tasks checks an assignee with it); its email only
    for the account itself and admins."""
    return await _found(recent, user_id, principal)


@router.patch("/{user_id}", responses=problems(404))
async def update_user(
    user_id: UserId, body: UserUpdate, admin: Admin, tx: Tx, recent: Recent
) -> UserPublic:
    """Change a role or (de)activate an account; admins only, and never on themselves."""
    changes = UserChanges(role=body.role, active=body.active, reason=body.reason)
    user = await tx(
        lambda work: administration.update_user(
            user_id,
            changes,
            actor_id=admin.user_id,
            users=work.users,
            refresh_tokens=work.refresh_tokens,
            events=work.events,
            commit=work.commit,
        )
    )
    recent.forget(user_id)
    return UserPublic.of(user, show_email=True)  # admins only


async def _found(recent: Recent, user_id: int, viewer: Principal) -> UserPublic:
    # Async end to end (no worker thread on a cache hit): these reads are the service's hot path.
    user = await recent.find(user_id)
    if user is None:
        raise UserNotFound(f"no user {user_id}")
    show = shows_email(user, viewer_id=viewer.user_id, viewer_role=viewer.role)
    return UserPublic.of(user, show_email=show)
