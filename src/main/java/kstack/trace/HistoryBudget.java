package kstack.trace;

/**
 * The heap the recorded history may keep (its journal and its blocks' combined differences), set
 * by the user ({@code set history-budget SIZE}). Past it, the oldest blocks are thinned: their
 * journal bytes go and only their combined difference stays, so their steps are reached at block
 * granularity; if that is still too much, thinned blocks merge pairwise (coarser granularity). No
 * step is dropped from the history: what is thinned and how coarsely, {@code info history} says.
 * Bookkeeping changes and events are kept whole (they are a few per command).
 */
public final class HistoryBudget {
  /** 512 MiB: the journal of some 45 million steps (500,000 getpid calls) before any thinning. */
  public static final long DEFAULT = 512L << 20;
  /** Smaller than this leaves no room for the newest block. */
  public static final long MIN = 64L << 10;
  private final Timeline t;
  private long limit = DEFAULT;

  HistoryBudget(Timeline t) {
    this.t = t;
  }

  public long limit() {
    return limit;
  }

  /** Sets the budget in bytes and thins what it no longer holds. */
  public void setLimit(long bytes) {
    if (bytes < MIN) {
      throw new IllegalArgumentException("history-budget must be at least " + MIN / 1024 + "K");
    }
    limit = bytes;
    enforce();
  }

  /** Heap bytes held now: the journal kept whole plus every block's combined difference. */
  public long heldBytes() {
    return t.historyBytes() + t.checkpoints.mapBytes();
  }

  /** Steps kept entry by entry, back from the end of the history (reverse-stepi reaches them). */
  public long wholeFromStep() {
    return t.checkpoints.step(t.checkpoints.fine);
  }

  /** How many thinned blocks lie before {@link #wholeFromStep}. */
  public int thinnedBlocks() {
    return t.checkpoints.fine;
  }

  /** The average steps per thinned block (0 when nothing is thinned). */
  public long granularity() {
    Checkpoints cp = t.checkpoints;
    return cp.fine == 0 ? 0 : (cp.step(cp.fine) - cp.step(0)) / cp.fine;
  }

  /** Steps per block of the part kept whole: the distance between checkpoints. */
  public long checkpointInterval() {
    return t.interval;
  }

  void enforce() {
    Checkpoints cp = t.checkpoints;
    int cap = Math.min(cp.last() - 1, cp.atOrBelowPos(t.journal.size()));
    if (heldBytes() <= limit || cap <= cp.fine) {
      coarsen(cp);
      return;
    }
    while (heldBytes() > limit && cp.fine < cap) {
      cp.fine++;
    }
    t.journal.freeBelow(cp.pos(cp.fine));
    coarsen(cp);
  }

  /** Merges thinned blocks pairwise, oldest first, while the budget is exceeded. */
  private void coarsen(Checkpoints cp) {
    while (heldBytes() > limit && cp.fine >= 2) {
      for (int i = 0; i + 1 < cp.fine; i++) {
        cp.merge(i);
      }
    }
  }
}
