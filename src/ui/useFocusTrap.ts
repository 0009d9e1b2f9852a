/**
 * Keyboard behaviour of a modal dialog: while it is open, focus goes into it and stays there
 * (Tab and Shift+Tab cycle through its controls), Escape closes it, and when it closes focus
 * returns to whatever had it before (usually the button that opened it).
 *
 *   const ref = useRef<HTMLDivElement>(null);
 *   useFocusTrap(ref, onClose);
 *   return <div ref={ref} role="dialog" aria-modal="true" tabIndex={-1}>…</div>;
 *
 * Focus starts on the first element marked `data-autofocus`, else the first focusable control,
 * else the container itself (give it tabIndex={-1}).
 */
import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE = [
  'a[href]',
  'area[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  'summary',
  'iframe',
  '[contenteditable]:not([contenteditable="false"])',
  '[tabindex]',
].join(',');

/** Open traps, innermost last: only that one handles keys and focus (a dialog over a dialog). */
const stack: object[] = [];

/** The elements of `root` that Tab can reach, in document order. */
export function tabbables(root: HTMLElement): HTMLElement[] {
  return Array.from(root.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    (el) => el.tabIndex >= 0 && !el.closest('[inert]') && el.getClientRects().length > 0,
  );
}

export function useFocusTrap(ref: RefObject<HTMLElement | null>, onEscape?: () => void, active = true): void {
  // The latest callback, without re-running the effect (which would move focus again).
  const escape = useRef(onEscape);
  useEffect(() => {
    escape.current = onEscape;
  }, [onEscape]);

  useEffect(() => {
    const root = ref.current;
    if (!active || !root) return;
    const me = {};
    stack.push(me);
    const top = () => stack[stack.length - 1] === me;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = (): HTMLElement => root.querySelector<HTMLElement>('[data-autofocus]') ?? tabbables(root)[0] ?? root;
    first().focus();

    const onKey = (e: KeyboardEvent) => {
      if (!top()) return;
      if (e.key === 'Escape' && escape.current) {
        e.preventDefault();
        e.stopPropagation();
        escape.current();
        return;
      }
      if (e.key !== 'Tab') return;
      const list = tabbables(root);
      if (list.length === 0) {
        e.preventDefault();
        root.focus();
        return;
      }
      const at = document.activeElement;
      const head = list[0]!;
      const tail = list[list.length - 1]!;
      // Only the ends need help; in between the browser's own order is right (it also knows
      // about focusable scroll containers).
      if (e.shiftKey && (at === head || at === root || !root.contains(at))) {
        e.preventDefault();
        tail.focus();
      } else if (!e.shiftKey && (at === tail || !root.contains(at))) {
        e.preventDefault();
        head.focus();
      }
    };
    // Focus that gets out some other way (a click on the page behind, assistive technology)
    // is brought back.
    const onFocusIn = (e: FocusEvent) => {
      if (top() && e.target instanceof Node && !root.contains(e.target)) first().focus();
    };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('focusin', onFocusIn);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('focusin', onFocusIn);
      stack.splice(stack.indexOf(me), 1);
      // By now the dialog may be gone from the DOM (focus fell back to <body>): give focus back
      // to the opener unless the user deliberately put it somewhere else.
      const now = document.activeElement;
      if (opener?.isConnected && (!now || now === document.body || root.contains(now))) opener.focus();
    };
  }, [ref, active]);
}
