// Keeps a report run's page up to date while the report is waiting or being made.
//
// The page (templates/reports/run_detail.html) works without this: it shows the progress when
// it was loaded and a "Refresh this page" link. With it, the page asks the run's status
// endpoint (JSON) every few seconds, moves the progress bar, and when the run has finished
// fetches the page once more and swaps in its fresh report block (the downloads, or the reason
// it failed and the "Try again" button). A polite live region tells screen reader users each
// new step and the outcome. Loaded as a module script with the page's CSP nonce; it only talks
// to this site (connect-src 'self').

const FAST_POLL_MS = 2000;
const SLOW_POLL_MS = 10000;
// Two seconds apart for the first minute, then every ten: a stuck run must not hammer the server.
const FAST_POLLS = 30;
const MAX_FAILURES = 5;

function announce(region, text) {
  if (region && region.textContent !== text) {
    region.textContent = text;
  }
}

function showProgress(block, status) {
  const bar = block.querySelector("progress");
  const step = block.querySelector("[data-report-run-step]");
  const tag = block.querySelector("[data-report-run-status] .govuk-tag");
  if (bar) {
    bar.value = status.progress;
    bar.textContent = `${status.progress}%`;
  }
  if (step) {
    step.textContent = status.progress_label
      ? `${status.progress}% done: ${status.progress_label}`
      : `${status.progress}% done`;
  }
  if (tag) {
    tag.className = `govuk-tag ${status.status_tag}`;
    tag.textContent = status.status_text;
  }
}

async function fetchJson(url) {
  const response = await fetch(url, {
    headers: { Accept: "application/json" },
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!response.ok) {
    throw new Error(`status ${response.status}`);
  }
  return response.json();
}

// The finished page's report block, put in place of the one being watched.
async function swapInFinishedBlock(block) {
  const response = await fetch(window.location.href, {
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!response.ok) {
    throw new Error(`status ${response.status}`);
  }
  const page = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = page.querySelector("[data-report-run]");
  if (!fresh) {
    throw new Error("no report block in the page");
  }
  // GOV.UK Frontend is not run again on it: a second "Try again" press is refused by the server.
  block.replaceWith(document.importNode(fresh, true));
}

function outcome(status) {
  return status.status === "DONE"
    ? "The report is ready to download."
    : "The report could not be made.";
}

function watch(block, region) {
  const refresh = block.querySelector("[data-report-run-refresh]");
  let polls = 0;
  let failures = 0;
  let lastStep = "";

  if (refresh) {
    refresh.hidden = true;
  }

  async function poll() {
    polls += 1;
    try {
      const status = await fetchJson(block.dataset.statusUrl);
      failures = 0;
      if (status.finished) {
        await swapInFinishedBlock(block);
        announce(region, outcome(status));
        return;
      }
      showProgress(block, status);
      if (status.progress_label && status.progress_label !== lastStep) {
        lastStep = status.progress_label;
        announce(region, status.progress_label);
      }
    } catch {
      failures += 1;
      if (failures >= MAX_FAILURES) {
        // The server cannot be reached: give the link back, and stop asking.
        if (refresh) {
          refresh.hidden = false;
        }
        return;
      }
    }
    window.setTimeout(poll, polls < FAST_POLLS ? FAST_POLL_MS : SLOW_POLL_MS);
  }

  window.setTimeout(poll, FAST_POLL_MS);
}

const block = document.querySelector("[data-report-run][data-status-url]");
if (block) {
  watch(block, document.querySelector("[data-report-run-announce]"));
}
