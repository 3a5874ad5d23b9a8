// The operator dashboard, refreshed live: every few seconds the page is fetched again (with the
// sign-in cookie, as the browser would) and the server-rendered #dashboard element is swapped for
// the new one. The charts are drawn once, on the server; this file only keeps them current.

const parser = new DOMParser();

/** Fetches the page and swaps in its dashboard; keeps the old one when anything fails. */
async function refresh(current) {
  const response = await fetch(window.location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
  if (!response.ok) return current;
  const next = parser.parseFromString(await response.text(), 'text/html').getElementById('dashboard');
  if (!next) return current;
  const adopted = document.importNode(next, true);
  current.replaceWith(adopted);
  adopted.dispatchEvent(new CustomEvent('site:content-replaced', { bubbles: true }));
  return adopted;
}

export function enhance(root) {
  let dashboard = root.querySelector('#dashboard');
  if (!dashboard || dashboard.dataset.live) return;
  dashboard.dataset.live = 'true';
  const seconds = Number(dashboard.dataset.refresh) || 10;
  const tick = async () => {
    if (!document.hidden) {
      try {
        dashboard = await refresh(dashboard);
        dashboard.dataset.live = 'true';
      } catch (error) {
        console.error('Dashboard refresh failed', error);
      }
    }
    setTimeout(tick, seconds * 1000);
  };
  setTimeout(tick, seconds * 1000);
}
