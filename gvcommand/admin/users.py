"""gvcommand-admin users: create-user, set-password, list-users."""

from __future__ import annotations

import json
import sys
import time

import click
from sqlalchemy import select

from ..core.model import Role
from ..store import schema
from ..store.auth import AuthError, set_password
from ..store.auth import create_user as create_user_with_password
from ._common import AdminContext, actor, clear_errors


def _read_password(password_stdin: bool, name: str) -> str:
    if password_stdin:
        value = sys.stdin.readline().rstrip("\r\n")
        if not value:
            raise AuthError("no password on standard input")
        return value
    return str(click.prompt(f"password for {name}", hide_input=True,
                            confirmation_prompt=True))


@click.command("create-user")
@click.argument("name")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--display-name", default="", help="full name shown in the console")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.pass_obj
@clear_errors
def create_user(obj: AdminContext, name: str, role: str, display_name: str,
                password_stdin: bool) -> None:
    """Create a user with a role and a password."""
    store = obj.store()
    password = _read_password(password_stdin, name)
    create_user_with_password(store, name, Role(role), display_name, password, actor())
    click.echo(f"user {name} ({role}) created")


@click.command("set-password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="read the password from standard input")
@click.pass_obj
@clear_errors
def set_password_cmd(obj: AdminContext, name: str, password_stdin: bool) -> None:
    """Set a user's password (also unlocks a locked account)."""
    store = obj.store()
    set_password(store, name, _read_password(password_stdin, name), actor())
    click.echo(f"password of {name} set")


@click.command("list-users")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@click.pass_obj
@clear_errors
def list_users(obj: AdminContext, as_json: bool) -> None:
    """List users, their roles and whether they are locked."""
    store = obj.store()
    now_us = time.time_ns() // 1000
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(schema.users, schema.credentials.c.locked_until_us)
            .select_from(schema.users.outerjoin(
                schema.credentials, schema.credentials.c.user_name == schema.users.c.name))
            .order_by(schema.users.c.name)
        ).mappings().all()
    users = [
        {
            "name": r["name"],
            "role": r["role"],
            "display_name": r["display_name"],
            "active": bool(r["active"]),
            "has_password": r["locked_until_us"] is not None,
            "locked": bool(r["locked_until_us"] and r["locked_until_us"] > now_us),
        }
        for r in rows
    ]
    if as_json:
        click.echo(json.dumps(users, ensure_ascii=False, indent=1))
        return
    if not users:
        click.echo("no users yet: gvcommand-admin create-user NAME --role admin")
        return
    for u in users:
        flags = [] if u["active"] else ["disabled"]
        flags += ["locked"] if u["locked"] else []
        flags += [] if u["has_password"] else ["no password"]
        extra = f"  [{', '.join(flags)}]" if flags else ""
        click.echo(f"{u['name']:<20} {u['role']:<11} {u['display_name']}{extra}")


COMMANDS = (create_user, set_password_cmd, list_users)
