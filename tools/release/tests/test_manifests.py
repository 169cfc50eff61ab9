from release.manifests import dump, install_order, parse


def _obj(kind: str, name: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": kind, "metadata": {"name": name}}


def test_objects_follow_helms_install_order() -> None:
    objects = [_obj("Deployment", "a"), _obj("Service", "a"), _obj("NetworkPolicy", "a")]
    kinds = [o["kind"] for o in install_order(objects)]
    assert kinds == ["NetworkPolicy", "Service", "Deployment"]


def test_unknown_kinds_come_last_by_kind_then_name() -> None:
    objects = [_obj("ServiceMonitor", "b"), _obj("Ingress", "a"), _obj("Certificate", "c")]
    kinds = [o["kind"] for o in install_order(objects)]
    assert kinds == ["Ingress", "Certificate", "ServiceMonitor"]


def test_same_kind_sorts_by_name() -> None:
    names = [o["metadata"]["name"] for o in install_order([_obj("Job", "b"), _obj("Job", "a")])]
    assert names == ["a", "b"]


def test_notes_and_empty_documents_are_not_objects() -> None:
    templates = {
        "svc/templates/NOTES.txt": "hello",
        "svc/templates/hpa.yaml": "\n",
        "svc/templates/sa.yaml": "---\nkind: ServiceAccount\nmetadata: {name: a}\n---\n",
    }
    assert parse(templates) == [{"kind": "ServiceAccount", "metadata": {"name": "a"}}]


def test_dump_keeps_key_order_and_separates_documents() -> None:
    text = dump([_obj("Service", "a"), _obj("Service", "b")], header="# generated\n---\n")
    assert text.startswith("# generated\n---\napiVersion: v1\nkind: Service\n")
    assert text.count("---\n") == 2
