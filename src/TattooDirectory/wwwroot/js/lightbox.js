// The profile gallery's lightbox: the server renders `<dialog id="lightbox">` and gallery links to
// the full images (which is all a visitor without JavaScript gets). Here a click or Enter on a
// link opens the image in the modal dialog instead; the native dialog gives us the focus trap,
// the inert page behind it and Escape to close.

let lightbox;

/** Makes the gallery links inside `root` open in the lightbox. Safe to call repeatedly. */
export function enhance(root) {
  if (!root.querySelector('.gallery-link')) return;
  lightbox ??= createLightbox(document.getElementById('lightbox') ?? buildDialog());
}

function createLightbox(dialog) {
  const image = dialog.querySelector('img') ?? dialog.appendChild(document.createElement('img'));
  const caption = dialog.querySelector('figcaption, .lightbox-caption, [data-lightbox-caption]');
  const buttons = {
    close: findButton(dialog, 'close', /close/i),
    prev: findButton(dialog, 'prev', /prev/i),
    next: findButton(dialog, 'next', /next/i),
  };
  let links = [];
  let current = -1;

  function show(index) {
    current = (index + links.length) % links.length;
    const link = links[current];
    const thumbnail = link.querySelector('img');
    const text = link.dataset.caption ?? thumbnail?.alt ?? '';

    // Width and height first so the dialog keeps its layout while the full image loads.
    if (link.dataset.width && link.dataset.height) {
      image.width = Number(link.dataset.width);
      image.height = Number(link.dataset.height);
    } else {
      image.removeAttribute('width');
      image.removeAttribute('height');
    }
    image.alt = text;
    image.src = link.href;
    if (caption) caption.textContent = text;

    const single = links.length < 2;
    for (const button of [buttons.prev, buttons.next]) {
      if (!button) continue;
      // Disabled as well: author CSS that sets `display` on buttons defeats `hidden`.
      button.hidden = single;
      button.disabled = single;
    }
    preload(links[(current + 1) % links.length]);
  }

  function open(link) {
    links = galleryOf(link);
    show(links.indexOf(link));
    if (!dialog.open) dialog.showModal();
  }

  function move(step) {
    if (dialog.open && links.length > 1) show(current + step);
  }

  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('.gallery-link') : null;
    // Modified clicks keep their browser meaning (open in a new tab, save, ...).
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    open(link);
  });

  buttons.close?.addEventListener('click', (event) => {
    event.preventDefault();
    dialog.close();
  });
  // preventDefault: inside a `<form method="dialog">` these buttons would otherwise close it.
  buttons.prev?.addEventListener('click', (event) => {
    event.preventDefault();
    move(-1);
  });
  buttons.next?.addEventListener('click', (event) => {
    event.preventDefault();
    move(1);
  });

  dialog.addEventListener('keydown', (event) => {
    const steps = { ArrowLeft: -1, ArrowRight: 1, Home: -current, End: links.length - 1 - current };
    if (!(event.key in steps) || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    move(steps[event.key]);
  });

  // A click on the backdrop lands on the dialog element itself, outside its box.
  dialog.addEventListener('click', (event) => {
    if (event.target !== dialog) return;
    const box = dialog.getBoundingClientRect();
    const inside = event.clientX >= box.left && event.clientX <= box.right
      && event.clientY >= box.top && event.clientY <= box.bottom;
    if (!inside) dialog.close();
  });

  // Escape, the close button and the backdrop all end here. Focus goes to the link of the image
  // being shown, so a visitor who browsed through the gallery continues from where they are.
  dialog.addEventListener('close', () => {
    const link = links[current];
    image.removeAttribute('src');
    if (link?.isConnected) link.focus();
  });

  return { open };
}

function galleryOf(link) {
  const gallery = link.closest('.gallery') ?? document;
  return [...gallery.querySelectorAll('.gallery-link')];
}

function findButton(dialog, name, pattern) {
  const marked = dialog.querySelector(`.lightbox-${name}, [data-lightbox="${name}"], [data-action="${name}"]`);
  if (marked) return marked;
  return [...dialog.querySelectorAll('button')].find((button) =>
    pattern.test(button.className) || pattern.test(button.value)
    || pattern.test(button.getAttribute('aria-label') ?? '') || pattern.test(button.textContent ?? '')) ?? null;
}

function preload(link) {
  if (!link) return;
  const image = new Image();
  image.decoding = 'async';
  image.src = link.href;
}

// The contract has the server render the dialog; should a page lack it, build the same markup
// rather than leave the gallery without a lightbox.
function buildDialog() {
  const dialog = document.createElement('dialog');
  dialog.id = 'lightbox';
  dialog.className = 'lightbox';
  dialog.setAttribute('aria-label', 'Portfolio image');
  const figure = document.createElement('figure');
  figure.append(document.createElement('img'), document.createElement('figcaption'));
  const controls = [['prev', 'Previous image', '‹'], ['next', 'Next image', '›'], ['close', 'Close', '×']]
    .map(([name, label, symbol]) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.className = `lightbox-${name}`;
      button.setAttribute('aria-label', label);
      button.textContent = symbol;
      return button;
    });
  dialog.append(figure, ...controls);
  document.body.append(dialog);
  return dialog;
}
