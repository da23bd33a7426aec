package kstack.trace;

import kstack.mem.Memory;

/**
 * How {@link Timeline#seek} moves: inside the block above the target it walks the journal back
 * entry by entry; farther, it first stands on a boundary, crosses whole blocks by their combined
 * differences (and their bookkeeping changes and events, in order) to the boundary at or after the
 * target, then walks back from there. A walk never spans more than a block and a partial one.
 */
final class Seeker {
  private Seeker() {}

  static void seek(Timeline t, long target) {
    Checkpoints cp = t.checkpoints;
    int here = cp.atOrBelowPos(t.journal.size());
    if (target == t.endSteps()) {
      stand(t, here);
      cross(t, here, cp.last());
      return;
    }
    if (target < cp.step(cp.fine)) { // thinned: the nearest boundary at or before the target
      int k = cp.atOrAbove(target);
      stand(t, here);
      cross(t, here, cp.step(k) > target ? k - 1 : k);
      return;
    }
    int j = cp.atOrAbove(target);
    // the boundary below j: target's end marker lies above it even where boundary j (an end of
    // history sealed when going back) also holds what was recorded after target's step
    int floor = cp.pos(Math.max(cp.fine, j - 1));
    if (here >= cp.fine && cp.step(here) <= target && target <= t.steps()) {
      walkBack(t, target, floor);
      return;
    }
    stand(t, here);
    cross(t, here, j);
    walkBack(t, target, floor);
  }

  /** Walks back from the present to boundary i's position (the present lies in block i). */
  private static void stand(Timeline t, int i) {
    Checkpoints cp = t.checkpoints;
    while (t.journal.size() > cp.pos(i)) {
      undoOne(t);
    }
    t.steps = cp.step(i);
  }

  /** From boundary from to boundary to, a whole block at a time. */
  private static void cross(Timeline t, int from, int to) {
    Checkpoints cp = t.checkpoints;
    if (from == to) {
      return;
    }
    for (int b = from; b < to; b++) {
      apply(t, cp.block(b));
      for (int c = cp.changes(b); c < cp.changes(b + 1); c++) {
        t.changes.get(c).redo();
      }
    }
    for (int b = from - 1; b >= to; b--) {
      apply(t, cp.block(b));
      for (int c = cp.changes(b + 1) - 1; c >= cp.changes(b); c--) {
        t.changes.get(c).undo();
      }
    }
    t.journal.moveTo(cp.pos(to));
    t.lastAddr = cp.lastAddr(to);
    t.changeTop = cp.changes(to);
    t.eventLog().moveTo(cp.events(to));
    t.steps = cp.step(to);
  }

  private static void apply(Timeline t, XorMap block) {
    for (int i = 0; i < block.size(); i++) {
      long w = block.word(i);
      long x = block.xor(i);
      int sp = block.space(i);
      if (sp == XorMap.REGISTER) {
        int cpu = (int) (w >>> 16);
        int reg = (int) (w & 0xFFFF);
        t.registers.restore(cpu, reg, t.registers.value(cpu, reg) ^ x);
      } else {
        var mem = t.spaces.get(sp);
        mem.poke(w, 8, mem.peekRaw(w, 8) ^ x);
      }
    }
  }

  /**
   * Walks the journal back from the present to the moment step target ended, never below the
   * position floor (a boundary at or before that moment).
   */
  private static void walkBack(Timeline t, long target, int floor) {
    long ends = t.steps() - target;
    while (t.journal.size() > floor) {
      if ((t.journal.byteBelow(t.journal.size()) & 3) == Timeline.STEP) {
        if (ends == 0) {
          break;
        }
        ends--;
      }
      undoOne(t);
    }
    t.steps = target;
  }

  /** Undoes the newest entry of t's journal; returns its kind. */
  static int undoOne(Timeline t) {
    int header = t.journal.pop();
    int kind = header & 3;
    switch (kind) {
      case Timeline.MEM -> {
        Memory space = t.spaces.get((header & StoreEntry.OTHER_SPACE) != 0 ? (int) t.journal.popVarint() : 0);
        long zz = t.journal.popVarint();
        long addr = t.lastAddr;
        t.lastAddr = addr - ((zz >>> 1) ^ -(zz & 1));
        int size = (header >>> 2 & 7) + 1;
        space.poke(addr, size, space.peekRaw(addr, size) ^ t.journal.popVarint());
      }
      case Timeline.REG -> {
        long where = RegisterHeader.wide(header) ? t.journal.popVarint()
            : RegisterHeader.where(header);
        int cpu = (int) (where >>> 16);
        int reg = (int) (where & 0xFFFF);
        t.registers.restore(cpu, reg, t.registers.value(cpu, reg) ^ t.journal.popVarint());
      }
      case Timeline.OBJ -> {
        if (header == Timeline.EVENT) {
          t.eventLog().takeBack();
        } else {
          t.changes.get(--t.changeTop).undo();
        }
      }
      default -> StepEnd.undo(t, header); // a step's end: the pc and sp sums it carries
    }
    return kind;
  }
}
