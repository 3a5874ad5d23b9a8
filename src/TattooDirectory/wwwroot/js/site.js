// Progressive enhancements for the server-rendered pages. Every page works without this file;
// each enhancement is fetched only on pages that have its elements, so most pages download
// nothing beyond this entry module.

const enhancements = [
  { selector: '#results-map, .studio-map', load: () => import('./map.js') },
  { selector: '.gallery-link', load: () => import('./lightbox.js') },
  { selector: '#results', load: () => import('./live-search.js') },
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
