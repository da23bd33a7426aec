package kstack.trace;

import kstack.mem.Memory;

/**
 * A store wider than a word (a memcpy, a zeroed range) as its difference: applied to what the
 * bytes hold, it gives the other end, so it both undoes and redoes the store.
 */
record BytesChange(Memory space, long addr, byte[] diff) implements Timeline.Change {
  /** The change of a store of size bytes whose difference is diff, little-endian. */
  static BytesChange of(Memory space, long addr, int size, long diff) {
    byte[] d = new byte[size];
    for (int i = 0; i < size && i < 8; i++) {
      d[i] = (byte) (diff >>> (8 * i));
    }
    return new BytesChange(space, addr, d);
  }

  /** The change of a store that turned the bytes was into now. */
  static BytesChange of(Memory space, long addr, byte[] was, byte[] now) {
    byte[] d = new byte[was.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = (byte) (was[i] ^ now[i]);
    }
    return new BytesChange(space, addr, d);
  }

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
