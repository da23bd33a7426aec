package kstack.trace;

import kstack.mem.Memory;

/**
 * A store wider than a word (a memcpy, a zeroed range) as its difference: applied to what the
 * bytes hold, it gives the other end, so it both undoes and redoes the store.
 */
record BytesChange(Memory space, long addr, byte[] diff) implements Timeline.Change {
  @Override
  public void undo() {
    apply();
  }

  @Override
  public void redo() {
    apply();
  }

  /** A bookkeeping change as its two actions. */
  record Actions(Runnable undoing, Runnable redoing) implements Timeline.Change {
    @Override
    public void undo() {
      undoing.run();
    }

    @Override
    public void redo() {
      redoing.run();
    }
  }

  private void apply() {
    byte[] now = new byte[diff.length];
    for (int i = 0; i < diff.length; i++) {
      now[i] = (byte) (space.peekRaw(addr + i, 1) ^ diff[i]);
    }
    space.pokeBytes(addr, now);
  }
}
