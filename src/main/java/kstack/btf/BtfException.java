package kstack.btf;

/**
 * A BTF blob the reader refuses: truncated, corrupt or hostile. The message names what is wrong
 * and the byte offset in the blob where the reader found it.
 */
public final class BtfException extends RuntimeException {
  private final long offset;

  public BtfException(long offset, String what) {
    super("byte " + offset + ": " + what);
    this.offset = offset;
  }

  /** The byte offset in the blob where the problem is. */
  public long offset() {
    return offset;
  }
}
