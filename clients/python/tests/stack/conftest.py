"""Tests against a running Tessera that the `tessera` CLI is logged in to.

`test/python-client.int-spec.ts` (part of `npm test`) starts the real stack, logs in with `tessera auth login`, runs
`tessera teams set`, and then runs pytest with HOME and TESSERA_HOST of that CLI, and TESSERA_TEST_STACK: a JSON object
naming what it made (the team set, the people in it, an API key, the command that runs the CLI). Without that
variable these tests are skipped: they would otherwise act on the login of whoever runs them.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

import pytest

STACK_VARIABLE = "TESSERA_TEST_STACK"


@dataclass(frozen=True)
class Stack:
    team: str
    """The team `tessera teams set` chose (Platform)."""
    login_team: str
    """The team picked on the device-login page (Research); the API key belongs to it."""
    email: str
    member_email: str
    """A Developer of `team`, besides the person logged in."""
    key: str
    """An API-scope key of `login_team`."""
    cli: list[str]
    """The command that runs `tessera`."""


SKIP_REASON = f"needs the running stack: {STACK_VARIABLE} is set by test/python-client.int-spec.ts (npm test)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = os.path.dirname(__file__)
    for item in items:
        if str(item.path).startswith(here):
            item.add_marker(pytest.mark.stack)
            if STACK_VARIABLE not in os.environ:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.fixture(scope="session")
def stack() -> Stack:
    fields = json.loads(os.environ[STACK_VARIABLE])
    return Stack(
        team=fields["team"],
        login_team=fields["loginTeam"],
        email=fields["email"],
        member_email=fields["memberEmail"],
        key=fields["key"],
        cli=fields["cli"],
    )
