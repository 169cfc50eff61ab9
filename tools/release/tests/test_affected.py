from release.affected import is_first_push, services_of

KNOWN = ["devices", "tasks", "users"]


def test_a_services_targets_select_that_service() -> None:
    addresses = ["services/tasks/tasks/api/routes.py", "services/tasks:tests"]
    assert services_of(addresses, KNOWN) == ["tasks"]


def test_a_shared_change_selects_each_service_pants_lists_as_dependent() -> None:
    addresses = [
        "shared/chassis/http/client.py",
        "services/devices/devices/adapters/tasks_client.py",
        "services/tasks/tasks/adapters/users_client.py",
    ]
    assert services_of(addresses, KNOWN) == ["devices", "tasks"]


def test_changes_outside_services_select_none() -> None:
    assert services_of(["docs/deploy.md", "tools/release/cli.py", "deploy:chart"], KNOWN) == []


def test_a_service_folder_without_a_deployment_is_ignored() -> None:
    assert services_of(["services/sandbox/app.py"], KNOWN) == []


def test_a_root_level_service_target_counts() -> None:
    assert services_of(["services/users:pex"], KNOWN) == ["users"]


def test_githubs_all_zero_before_is_a_first_push() -> None:
    assert is_first_push("0000000000000000000000000000000000000000")


def test_a_commit_or_a_branch_is_not_a_first_push() -> None:
    for since in ["9604b2c1e0a0000000000000000000000000000", "origin/main", "HEAD~1", ""]:
        assert not is_first_push(since), since
