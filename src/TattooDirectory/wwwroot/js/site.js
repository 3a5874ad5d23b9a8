// Progressive enhancements for the server-rendered pages. Every page works without this file;
// each enhancement is fetched only on pages that have its elements, so most pages download
// nothing beyond this entry module.

/** The fingerprinted URL the server published for a file (meta name="asset:{path}"), else the plain one. */
const asset = (path) => document.querySelector(`meta[name="asset:${path}"]`)?.content ?? `/${path}`;

const enhancements = [
  { selector: '#results-map, .studio-map', load: () => import(asset('js/map.js')) },
  { selector: '.gallery-link', load: () => import(asset('js/lightbox.js')) },
  { selector: '#results', load: () => import(asset('js/live-search.js')) },
  { selector: '#dashboard', load: () => import(asset('js/dashboard.js')) },
];

/** Runs every enhancement whose elements exist inside `root`. */
function enhance(root) {
  for (const { selector, load } of enhancements) {
    if (!root.querySelector(selector)) continue;
    load()
      .then((module) => module.enhance(root))
      .catch((error) => console.error(`Enhancement for ${selector} failed`, error));
  }
}

// Live search swaps server-rendered markup into the page; that new markup (a results map, say)
// needs the same enhancements as the first render.
document.addEventListener('site:content-replaced', (event) => {
  if (event.target instanceof Element) enhance(event.target);
});

enhance(document);
