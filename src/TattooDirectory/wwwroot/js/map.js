// Leaflet maps for `#results-map` (search map view) and `.studio-map` (profile and studio pages).
// The server renders the pins as JSON in data-pins and the tile URL template in data-tiles; an
// empty data-tiles means no tile layer at all, so the pins show on a blank background and the
// browser makes no request beyond our own origin (offline, tests).

const UK_CENTRE = [54.5, -2.5];
const UK_ZOOM = 5;
const PIN_ZOOM = 14;

// The fingerprinted URLs the page published (see site.js), so Leaflet is cached as immutable.
const asset = (path) => new URL(document.querySelector(`meta[name="asset:${path}"]`)?.content ?? `/${path}`, document.baseURI);
const leafletUrl = asset('lib/leaflet/leaflet.js');
const leafletCssUrl = asset('lib/leaflet/leaflet.css');

const initialised = new WeakSet();
const liveMaps = new Set();
let leaflet;

/** Draws every map inside `root` that has not been drawn yet. */
export function enhance(root) {
  forgetDetachedMaps();
  for (const container of root.querySelectorAll('#results-map, .studio-map')) {
    if (initialised.has(container)) continue;
    initialised.add(container);
    // A profile's small map usually sits below the fold: fetch Leaflet when it is about to be seen.
    // The results map is what the visitor asked for, so it is drawn at once.
    if (container.id === 'results-map') draw(container);
    else whenNearViewport(container, () => draw(container));
  }
}

function draw(container) {
  loadLeaflet()
    .then((L) => liveMaps.add(createMap(L, container)))
    .catch((error) => console.error('The map could not be drawn', error));
}

function createMap(L, container) {
  const small = container.classList.contains('studio-map');
  container.replaceChildren();
  if (container.clientHeight === 0) container.style.minHeight = small ? '14rem' : '24rem';
  if (!container.hasAttribute('aria-label')) {
    container.setAttribute('aria-label', small ? 'Map of the studio' : 'Map of the search results');
  }
  container.setAttribute('role', 'region');

  const animate = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  const map = L.map(container, {
    // Wheel zoom would hijack page scrolling; the zoom buttons, keyboard and pinch remain.
    scrollWheelZoom: false,
    zoomAnimation: animate,
    fadeAnimation: animate,
    markerZoomAnimation: animate,
    // On a phone a one-finger drag over a small map should scroll the page, not pan the map.
    dragging: !(small && L.Browser.mobile),
  });

  const tiles = container.dataset.tiles?.trim();
  if (tiles) {
    L.tileLayer(tiles, { maxZoom: 19, attribution: container.dataset.attribution || osmAttribution() }).addTo(map);
  }

  // The view first: Leaflet defers adding layers to a map that has none.
  const pins = readPins(container);
  if (pins.length === 0) map.setView(UK_CENTRE, UK_ZOOM);
  else map.fitBounds(L.latLngBounds(pins.map((pin) => [pin.lat, pin.lon])), { padding: [32, 32], maxZoom: PIN_ZOOM });
  for (const pin of pins) addPin(L, map, pin);
  closePopupOnEscape(map);
  return map;
}

function addPin(L, map, pin) {
  const marker = L.marker([pin.lat, pin.lon], { title: pin.name, alt: pin.name, keyboard: true });

  // Leaflet opens the popup on Enter but leaves focus on the pin, and the popup's link is far
  // away in tab order; move focus into it, and back to the pin when the popup closes. Registered
  // before bindPopup so the flag is set before Leaflet's own Enter handler opens the popup.
  let openedByKeyboard = false;
  marker.on('keypress', (event) => {
    if (event.originalEvent.key === 'Enter') openedByKeyboard = true;
  });
  marker.bindPopup(popupContent(pin));
  marker.on('popupopen', (event) => {
    if (!openedByKeyboard) return;
    event.popup.getElement()?.querySelector('a.map-popup-link')?.focus();
  });
  marker.on('popupclose', () => {
    if (!openedByKeyboard) return;
    openedByKeyboard = false;
    marker.getElement()?.focus();
  });

  // Not Icon's className option: Leaflet puts that on the shadow image too, doubling the pins.
  marker.on('add', () => marker.getElement()?.classList.add('map-pin'));
  marker.addTo(map);
}

// Leaflet closes a popup on Escape only while the map container itself has focus, not a pin or
// the popup's link.
function closePopupOnEscape(map) {
  let open = false;
  map.on('popupopen', () => { open = true; });
  map.on('popupclose', () => { open = false; });
  map.getContainer().addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !open) return;
    event.stopPropagation();
    map.closePopup();
  });
}

function popupContent(pin) {
  const link = document.createElement('a');
  link.className = 'map-popup-link';
  link.href = pin.url;
  link.textContent = pin.name;
  return link;
}

function readPins(container) {
  let raw;
  try {
    raw = JSON.parse(container.dataset.pins || '[]');
  } catch (error) {
    console.error('data-pins is not valid JSON', error);
    return [];
  }
  if (!Array.isArray(raw)) return [];
  return raw.filter(isDrawable).map((pin) => ({ ...pin, name: String(pin.name ?? pin.id ?? '') }));
}

function isDrawable(pin) {
  return pin !== null && typeof pin === 'object'
    && Number.isFinite(pin.lat) && Number.isFinite(pin.lon)
    && typeof pin.url === 'string' && isSameOrigin(pin.url);
}

// Popup links come from data attributes; only links into this site are drawn (no javascript: URLs).
function isSameOrigin(url) {
  try {
    return new URL(url, document.baseURI).origin === window.location.origin;
  } catch {
    return false;
  }
}

function osmAttribution() {
  return '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors';
}

function forgetDetachedMaps() {
  for (const map of liveMaps) {
    if (map.getContainer().isConnected) continue;
    map.remove();
    liveMaps.delete(map);
  }
}

function whenNearViewport(element, callback) {
  if (!('IntersectionObserver' in window)) {
    callback();
    return;
  }
  const observer = new IntersectionObserver((entries) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    callback();
  }, { rootMargin: '200px' });
  observer.observe(element);
}

// Leaflet 1.9 is a classic script that defines window.L; a <script> element pointing at our own
// origin is allowed by the CSP (script-src 'self'). The stylesheet must be applied before the map
// measures its container.
function loadLeaflet() {
  leaflet ??= Promise.all([
    appendToHead('link', { rel: 'stylesheet', href: leafletCssUrl.href }),
    appendToHead('script', { src: leafletUrl.href }),
  ]).then(() => window.L);
  return leaflet;
}

function appendToHead(tag, attributes) {
  return new Promise((resolve, reject) => {
    const element = Object.assign(document.createElement(tag), attributes);
    element.addEventListener('load', resolve, { once: true });
    element.addEventListener('error', () => reject(new Error(`Could not load ${attributes.href ?? attributes.src}`)), { once: true });
    document.head.append(element);
  });
}
