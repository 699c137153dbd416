// A button whose action runs (issue 16 §6): it shows a spinner and aria-busy, and a second
// press, or a second submit of its form, is refused until the action is done. dom.ts's
// onSubmit uses it for every form's submit button, so each save, search and calculation
// shows it is working without the screen doing anything.

function stop(event: Event): void {
  event.preventDefault();
  event.stopImmediatePropagation();
}

/** Runs `work` with `button` showing it is busy (a spinner, aria-busy, optionally another
 * text such as "Berekenen…"), and refuses a second press or submit of its form meanwhile.
 * The button stays focusable (aria-disabled, not disabled), so keyboard focus is not lost.
 * Resolves or rejects as `work` does; the button is restored either way. */
export async function busy<T>(
  button: HTMLButtonElement,
  work: Promise<T> | (() => Promise<T>),
  busyText?: string,
): Promise<T> {
  // Already busy (a screen's own busy() inside a submit that onSubmit marked): just run.
  if (button.getAttribute("aria-busy") === "true")
    return typeof work === "function" ? work() : work;
  const text = button.textContent;
  const form = button.form;
  button.setAttribute("aria-busy", "true");
  button.setAttribute("aria-disabled", "true");
  if (busyText) button.textContent = busyText;
  button.addEventListener("click", stop, true);
  form?.addEventListener("submit", stop, true);
  try {
    return await (typeof work === "function" ? work() : work);
  } finally {
    button.removeEventListener("click", stop, true);
    form?.removeEventListener("submit", stop, true);
    button.removeAttribute("aria-busy");
    button.removeAttribute("aria-disabled");
    if (busyText) button.textContent = text;
  }
}
