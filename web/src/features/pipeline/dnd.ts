import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * Moving cards between board columns with a mouse, a finger or the keyboard.
 *
 * Pointer events rather than HTML5 drag-and-drop, which touch browsers do not fire. A mouse or pen
 * picks a card up once it moves a few pixels; a finger holds still for a moment first, so that a
 * swipe still scrolls the board. While a card is held, a copy of it follows the pointer and the
 * column under the pointer (`[data-drop-stage]`) is the target.
 *
 * From the keyboard: arrows move between cards; Space picks the focused card up, Left/Right choose
 * the column, Space or Enter drops, Escape (or leaving the card) cancels. Every step is announced through `announce`.
 */
export type DragTarget = { dealId: string; fromStageId: string };
export type KeyboardDrag = DragTarget & { overStageId: string };

type Pending = DragTarget & { pointerId: number; pointerType: string; startX: number; startY: number; el: HTMLElement; timer: number | null };
type Active = Pending & { ghost: HTMLElement; offsetX: number; offsetY: number };

const MOUSE_SLOP = 5;
const TOUCH_SLOP = 8;
const TOUCH_HOLD_MS = 220;
const EDGE = 48;

export type BoardDragOptions = {
  stageIds: string[];
  onDrop: (target: DragTarget, toStageId: string) => void;
  announce: (message: string) => void;
  messages: {
    pickedUp: (dealId: string, stageId: string) => string;
    over: (dealId: string, stageId: string) => string;
    dropped: (dealId: string, stageId: string) => string;
    cancelled: (dealId: string) => string;
  };
};

function stageAt(x: number, y: number): string | null {
  const el = document.elementFromPoint(x, y);
  return (el?.closest('[data-drop-stage]') as HTMLElement | null)?.dataset.dropStage ?? null;
}

/** Arrow keys walk the board without picking anything up: Up/Down within a column, Left/Right to the next column's first card. */
function focusNeighbour(card: HTMLElement, key: string) {
  if (key === 'ArrowUp' || key === 'ArrowDown') {
    const cards = [...(card.parentElement?.querySelectorAll<HTMLElement>(':scope > [data-deal-id]') ?? [])];
    cards[cards.indexOf(card) + (key === 'ArrowDown' ? 1 : -1)]?.focus();
    return;
  }
  const columns = [...document.querySelectorAll<HTMLElement>('[data-drop-stage]')];
  let i = columns.findIndex((c) => c.contains(card));
  const step = key === 'ArrowRight' ? 1 : -1;
  // Skip empty columns.
  for (i += step; i >= 0 && i < columns.length; i += step) {
    const first = columns[i].querySelector<HTMLElement>('[data-deal-id]');
    if (first) {
      first.focus();
      first.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      return;
    }
  }
}

/** Holds the board's drag state; `cardProps` wires a card, `boardRef` the scrolling board element. */
export function useBoardDrag(options: BoardDragOptions) {
  const opts = useRef(options);
  opts.current = options;
  const boardRef = useRef<HTMLDivElement>(null);
  const pending = useRef<Pending | null>(null);
  const active = useRef<Active | null>(null);
  const [draggingId, setDraggingId] = useState<string | null>(null);
  const [overStageId, setOverStageId] = useState<string | null>(null);
  const [keyboard, setKeyboard] = useState<KeyboardDrag | null>(null);
  const keyboardRef = useRef<KeyboardDrag | null>(null);
  keyboardRef.current = keyboard;
  const overRef = useRef<string | null>(null);
  const lastPoint = useRef({ x: 0, y: 0 });
  const scrollFrame = useRef<number | null>(null);

  const setOver = (stageId: string | null) => {
    if (overRef.current === stageId) return;
    overRef.current = stageId;
    setOverStageId(stageId);
    if (stageId && active.current) opts.current.announce(opts.current.messages.over(active.current.dealId, stageId));
  };

  const finish = (drop: boolean) => {
    const a = active.current;
    const p = pending.current;
    if (p?.timer) clearTimeout(p.timer);
    pending.current = null;
    active.current = null;
    if (scrollFrame.current !== null) cancelAnimationFrame(scrollFrame.current);
    scrollFrame.current = null;
    if (!a) return;
    a.ghost.remove();
    const target = overRef.current;
    setDraggingId(null);
    setOver(null);
    // The click that ends a drag must not open the card.
    const swallow = (e: Event) => {
      e.stopPropagation();
      e.preventDefault();
    };
    window.addEventListener('click', swallow, { capture: true, once: true });
    setTimeout(() => window.removeEventListener('click', swallow, { capture: true }), 0);
    if (drop && target && target !== a.fromStageId) {
      opts.current.announce(opts.current.messages.dropped(a.dealId, target));
      opts.current.onDrop({ dealId: a.dealId, fromStageId: a.fromStageId }, target);
    } else {
      opts.current.announce(opts.current.messages.cancelled(a.dealId));
    }
  };

  const activate = (p: Pending, x: number, y: number) => {
    const rect = p.el.getBoundingClientRect();
    const ghost = p.el.cloneNode(true) as HTMLElement;
    ghost.removeAttribute('id');
    ghost.setAttribute('aria-hidden', 'true');
    ghost.querySelectorAll('[id]').forEach((n) => n.removeAttribute('id'));
    Object.assign(ghost.style, {
      position: 'fixed',
      left: '0',
      top: '0',
      width: `${rect.width}px`,
      margin: '0',
      zIndex: '60',
      pointerEvents: 'none',
      transform: `translate(${rect.left}px, ${rect.top}px) rotate(2deg)`,
      boxShadow: '0 12px 28px rgb(0 0 0 / 0.25)',
      opacity: '0.95',
    });
    document.body.appendChild(ghost);
    active.current = { ...p, ghost, offsetX: x - rect.left, offsetY: y - rect.top };
    pending.current = null;
    setDraggingId(p.dealId);
    opts.current.announce(opts.current.messages.pickedUp(p.dealId, p.fromStageId));
    move(x, y);
  };

  // Held near (or past) the board's left or right edge, a card scrolls the board, faster the
  // further out it is, so that columns out of sight can be reached, on a phone as on a desktop.
  const autoScroll = () => {
    scrollFrame.current = null;
    const board = boardRef.current;
    if (!active.current || !board) return;
    const { x, y } = lastPoint.current;
    const r = board.getBoundingClientRect();
    const dx = x < r.left + EDGE ? -Math.min(24, Math.ceil((r.left + EDGE - x) / 3)) : x > r.right - EDGE ? Math.min(24, Math.ceil((x - r.right + EDGE) / 3)) : 0;
    if (dx === 0) return;
    const before = board.scrollLeft;
    board.scrollLeft += dx;
    if (board.scrollLeft === before) return;
    setOver(stageAt(x, y));
    scrollFrame.current = requestAnimationFrame(autoScroll);
  };

  const move = (x: number, y: number) => {
    const a = active.current;
    if (!a) return;
    lastPoint.current = { x, y };
    a.ghost.style.transform = `translate(${x - a.offsetX}px, ${y - a.offsetY}px) rotate(2deg)`;
    setOver(stageAt(x, y));
    scrollFrame.current ??= requestAnimationFrame(autoScroll);
  };

  useEffect(() => {
    const onMove = (e: PointerEvent) => {
      const p = pending.current;
      if (p && e.pointerId === p.pointerId) {
        const distance = Math.hypot(e.clientX - p.startX, e.clientY - p.startY);
        if (p.pointerType === 'touch') {
          // A finger that moves before the hold is over is scrolling, not dragging.
          if (distance > TOUCH_SLOP) {
            if (p.timer) clearTimeout(p.timer);
            pending.current = null;
          }
        } else if (distance > MOUSE_SLOP) {
          activate(p, e.clientX, e.clientY);
        }
        return;
      }
      if (active.current && e.pointerId === active.current.pointerId) move(e.clientX, e.clientY);
    };
    const onUp = (e: PointerEvent) => {
      if (pending.current?.pointerId === e.pointerId) {
        if (pending.current.timer) clearTimeout(pending.current.timer);
        pending.current = null;
      }
      if (active.current?.pointerId === e.pointerId) finish(e.type === 'pointerup');
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && active.current) {
        e.preventDefault();
        finish(false);
      }
    };
    // While a card is held by a finger the page must not scroll (the listener must not be passive).
    const onTouchMove = (e: TouchEvent) => {
      if (active.current) e.preventDefault();
    };
    const onContextMenu = (e: Event) => {
      if (active.current || pending.current) e.preventDefault();
    };
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);
    window.addEventListener('pointercancel', onUp);
    window.addEventListener('keydown', onKey);
    window.addEventListener('touchmove', onTouchMove, { passive: false });
    window.addEventListener('contextmenu', onContextMenu);
    return () => {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
      window.removeEventListener('pointercancel', onUp);
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('touchmove', onTouchMove);
      window.removeEventListener('contextmenu', onContextMenu);
      if (pending.current?.timer) clearTimeout(pending.current.timer);
      if (scrollFrame.current !== null) cancelAnimationFrame(scrollFrame.current);
      active.current?.ghost.remove();
    };
  }, []);

  const moveKeyboard = (step: number) => {
    const k = keyboardRef.current;
    if (!k) return;
    const ids = opts.current.stageIds;
    const index = Math.min(ids.length - 1, Math.max(0, ids.indexOf(k.overStageId) + step));
    const next = { ...k, overStageId: ids[index] };
    setKeyboard(next);
    opts.current.announce(opts.current.messages.over(k.dealId, next.overStageId));
    document.querySelector(`[data-drop-stage="${CSS.escape(next.overStageId)}"]`)?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  };

  const dropKeyboard = () => {
    const k = keyboardRef.current;
    if (!k) return;
    setKeyboard(null);
    if (k.overStageId === k.fromStageId) {
      opts.current.announce(opts.current.messages.cancelled(k.dealId));
      return;
    }
    opts.current.announce(opts.current.messages.dropped(k.dealId, k.overStageId));
    opts.current.onDrop({ dealId: k.dealId, fromStageId: k.fromStageId }, k.overStageId);
  };

  const cancelKeyboard = () => {
    const k = keyboardRef.current;
    if (!k) return;
    setKeyboard(null);
    opts.current.announce(opts.current.messages.cancelled(k.dealId));
  };

  /** Spread onto a card (a focusable element); `open` is what Enter does when nothing is held. */
  const cardProps = (target: DragTarget, open: () => void) => ({
    'data-deal-id': target.dealId,
    tabIndex: 0,
    onPointerDown: (e: PointerEvent) => {
      if (e.button !== 0 || active.current || keyboardRef.current) return;
      const el = e.currentTarget as HTMLElement;
      const p: Pending = { ...target, pointerId: e.pointerId, pointerType: e.pointerType, startX: e.clientX, startY: e.clientY, el, timer: null };
      if (e.pointerType === 'touch') p.timer = window.setTimeout(() => pending.current === p && activate(p, p.startX, p.startY), TOUCH_HOLD_MS);
      pending.current = p;
    },
    // Links inside the card would start the browser's own drag of the URL.
    onDragStart: (e: DragEvent) => e.preventDefault(),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.target !== e.currentTarget) return;
      const held = keyboardRef.current?.dealId === target.dealId;
      if (e.key === ' ' || (e.key === 'Enter' && held)) {
        e.preventDefault();
        if (held) dropKeyboard();
        else {
          setKeyboard({ ...target, overStageId: target.fromStageId });
          opts.current.announce(opts.current.messages.pickedUp(target.dealId, target.fromStageId));
        }
      } else if (e.key === 'Enter') {
        e.preventDefault();
        open();
      } else if (!held && !keyboardRef.current && e.key.startsWith('Arrow')) {
        e.preventDefault();
        focusNeighbour(e.currentTarget as HTMLElement, e.key);
      } else if (held && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) {
        e.preventDefault();
        moveKeyboard(e.key === 'ArrowRight' ? 1 : -1);
      } else if (held && e.key === 'Escape') {
        e.preventDefault();
        cancelKeyboard();
      }
    },
    onBlur: () => {
      if (keyboardRef.current?.dealId === target.dealId) cancelKeyboard();
    },
  });

  return {
    boardRef,
    cardProps,
    /** The card being carried by a pointer (shown faded in its column). */
    draggingId,
    /** The card held from the keyboard, if any. */
    keyboard,
    /** The column a drop would land in now. */
    targetStageId: keyboard ? keyboard.overStageId : overStageId,
  };
}
