// Search-as-you-type on /artists. The form still submits normally (and is the only way without
// JavaScript); while the visitor types in #query we fetch the same page for the new query and
// swap in its server-rendered `<div id="results">`, so there is one renderer for results.

const DEBOUNCE_MS = 300;

const enhancedForms = new WeakSet();

/** Starts search-as-you-type when the page has the search box and a results container. */
export function enhance() {
  const input = document.getElementById('query');
  const results = document.getElementById('results');
  const form = input?.form;
  if (!form || !results || enhancedForms.has(form)) return;
  // Only where the form searches this very page (/artists), never from the home page's form.
  if (searchUrl(form).pathname !== window.location.pathname) return;
  enhancedForms.add(form);

  let timer;
  let inFlight;
  let shown = searchUrl(form).href;

  input.addEventListener('input', (event) => {
    if (event.isComposing) return;
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  });
  // A submit navigates anyway; a late response must not rewrite the page being left.
  form.addEventListener('submit', () => {
    clearTimeout(timer);
    inFlight?.abort();
  });

  async function refresh() {
    const url = searchUrl(form);
    inFlight?.abort();
    // Typed back to what is on screen: a pending response for the in-between text must not land.
    if (url.href === shown) return;
    const request = new AbortController();
    inFlight = request;
    results.setAttribute('aria-busy', 'true');
    try {
      const response = await fetch(url, { signal: request.signal, headers: { Accept: 'text/html' } });
      const page = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = page.getElementById('results');
      // Not a results page (an error page, say): keep what is on screen; Enter still submits.
      if (!fresh) return;
      swapResults(results, fresh);
      syncFacetCounts(form, page);
      if (page.title) document.title = page.title;
      window.history.replaceState(window.history.state, '', url);
      shown = url.href;
      results.dispatchEvent(new CustomEvent('site:content-replaced', { bubbles: true }));
    } catch (error) {
      if (error.name !== 'AbortError') console.error('Search-as-you-type failed; the form still works', error);
    } finally {
      if (inFlight === request) results.removeAttribute('aria-busy');
    }
  }
}

/** The URL the form would submit to right now, without empty fields and on page 1. */
function searchUrl(form) {
  const url = new URL(form.getAttribute('action') || window.location.pathname, window.location.href);
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value !== '' && !name.startsWith('__')) params.append(name, value);
  }
  // What the URL carries beyond the form (the view, a studio or a lat/lon filter) is kept; only
  // the page number resets, since a new query starts on page 1.
  for (const [name, value] of new URLSearchParams(window.location.search)) {
    if (name !== 'page' && !form.elements.namedItem(name)) params.append(name, value);
  }
  // The radius select always has a value; like the server's links, drop it when there is no place.
  if (!params.get('location') && !params.has('lat')) params.delete('radiusKm');
  url.search = params.toString();
  return url;
}

// The count is announced through the page's existing live region: a region that is replaced
// rather than changed is not announced by screen readers. So the old element is kept (moved into
// the new markup if it lives inside #results) and its text changes once it is back in place.
function swapResults(results, fresh) {
  const status = statusIn(document) ?? results.querySelector('[role="status"]');
  const freshStatus = statusIn(fresh.ownerDocument) ?? fresh.querySelector('[role="status"]');
  const text = freshStatus?.textContent ?? null;

  if (status && freshStatus && results.contains(status) && fresh.contains(freshStatus)) {
    freshStatus.replaceWith(status);
  }
  results.replaceChildren(...fresh.childNodes);

  if (!status || text === null) return;
  if (status.isConnected) requestAnimationFrame(() => { status.textContent = text; });
}

function statusIn(root) {
  return root.querySelector('.result-count[role="status"]');
}

function syncFacetCounts(form, page) {
  for (const count of form.querySelectorAll('label[for] .count')) {
    const fresh = page.querySelector(`label[for="${CSS.escape(count.closest('label').htmlFor)}"] .count`);
    if (fresh) count.textContent = fresh.textContent;
  }
}
