"""Headless Debian Chromium against pytest-django's live server, with axe and CSP checks."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.db import connection
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

# Sync Playwright runs an event loop in this thread; Django refuses ORM calls there without this.
# Django reads it at each call, so setting it before any browser starts is enough.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(django_db_setup) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian Chromium at {CHROMIUM}: apt-get install chromium",
            pytrace=False,
        )
    snapshot = getattr(connection, "_test_serialized_contents", None)
    with sync_playwright() as playwright:
        # Playwright's event loop now counts as running in this thread, so Django hands out a
        # separate, context-local connection. serialized_rollback restores the rows data
        # migrations made (roles) from a snapshot kept on the connection: give it the same one.
        if snapshot is not None:
            connection._test_serialized_contents = snapshot
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def console_messages() -> list[ConsoleMessage]:
    return []


@pytest.fixture
def page(browser, live_server, console_messages) -> Iterator[Page]:
    """A fresh context per test, so no cookie or session leaks between tests."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    page.on("console", lambda message: console_messages.append(message))
    yield page
    context.close()


def _describe(violation: dict) -> str:
    targets = "; ".join(", ".join(node["target"]) for node in violation["nodes"])
    return f"- {violation['id']} ({violation['impact']}): {violation['help']} [{targets}]"


def assert_no_axe_violations(page: Page) -> None:
    violations = Axe().run(page).response["violations"]
    if violations:
        details = "\n".join(_describe(violation) for violation in violations)
        pytest.fail(f"axe found {len(violations)} violation(s) on {page.url}:\n{details}")


def assert_no_csp_errors(messages: list[ConsoleMessage]) -> None:
    csp_errors = [m.text for m in messages if "Content Security Policy" in m.text]
    assert not csp_errors, "Content Security Policy errors in the console:\n" + "\n".join(
        csp_errors
    )
