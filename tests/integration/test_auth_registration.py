"""Who becomes admin: the first account, or the one named by SEEN_ADMIN_EMAIL, race-free."""

import json
import threading

from tests.integration.auth_support import PASSWORD, register


def role_of(response) -> str:
    return json.loads(response.body)["user"]["role"]


def test_first_account_is_admin_and_the_next_ones_are_users(client):
    assert role_of(register(client, "first@example.com")) == "admin"
    assert role_of(register(client, "second@example.com")) == "user"


def test_a_failed_first_registration_does_not_use_up_the_admin_slot(client):
    assert register(client, "weak@example.com", password="short").status_code == 422
    assert role_of(register(client, "real@example.com")) == "admin"


def test_admin_email_setting_names_the_admin_instead_of_the_first_account(client, settings_env):
    settings_env(SEEN_ADMIN_EMAIL=" Boss@Example.com ")
    assert role_of(register(client, "early@example.com")) == "user"
    assert role_of(register(client, "boss@example.com")) == "admin"


def _register_together(emails: list[str]) -> list[str]:
    """Run one registration per e-mail in its own thread and connection, released together."""
    from chalicelib import db
    from chalicelib.auth import service
    from chalicelib.auth.users import ClientInfo

    barrier = threading.Barrier(len(emails))
    roles: list[str] = []

    def sign_up(email: str) -> None:
        with db.connection() as conn:
            barrier.wait()
            issued = service.register(conn, email=email, password=PASSWORD, display_name=None, client=ClientInfo())
            roles.append(issued.user.role)

    threads = [threading.Thread(target=sign_up, args=(email,)) for email in emails]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return roles


def test_two_concurrent_first_registrations_make_exactly_one_admin(client):
    from chalicelib import db

    for round_ in range(5):
        with db.connection() as conn:
            conn.execute("DELETE FROM users")
        roles = _register_together([f"r{round_}-a@example.com", f"r{round_}-b@example.com"])
        assert sorted(roles) == ["admin", "user"], f"round {round_}: {roles}"
        with db.connection() as conn:
            admins = conn.execute("SELECT count(*) AS n FROM users WHERE role = 'admin'").fetchone()["n"]
        assert admins == 1
