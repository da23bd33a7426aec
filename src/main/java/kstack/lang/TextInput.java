package kstack.lang;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Command text read from bytes, one line at a time, within limits (the contract in the README):
 * UTF-8 text; lines end in {@code \n}, {@code \r\n} or {@code \r}; a byte order mark at the start is
 * dropped; a line holds at most {@link #MAX_LINE_BYTES} bytes and a scenario file at most
 * {@link #MAX_FILE_BYTES}; NUL bytes, invalid UTF-8 and control characters (other than tab) are
 * refused. Each refusal is one {@link ScriptError} located at its line and column, so no input
 * (/dev/zero, /dev/urandom, a binary) can exhaust memory or spill raw bytes into a message.
 */
public final class TextInput {
  /** The largest scenario file: the built-in ones are a few KiB. */
  public static final int MAX_FILE_BYTES = 4 << 20;
  /** The longest line (one command). */
  public static final int MAX_LINE_BYTES = 64 << 10;

  private static final char BOM = '\uFEFF';

  private final String file;
  private final InputStream in;
  private final long maxTotal;
  private final byte[] buf = new byte[MAX_LINE_BYTES];
  private long total;
  private int lineNumber;
  private int pushedBack = -1;

  /** Lines of {@code in}, reported as {@code file}; at most maxTotal bytes in all. */
  public TextInput(String file, InputStream in, long maxTotal) {
    this.file = file;
    // read byte by byte below: buffered, or every byte of a file would be a system call
    this.in = in instanceof ByteArrayInputStream || in instanceof BufferedInputStream ? in
        : new BufferedInputStream(in);
    this.maxTotal = maxTotal;
  }

  /** Lines of a text already in memory (a built-in scenario, a test). */
  public static TextInput of(String file, String text) {
    return new TextInput(file, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        Long.MAX_VALUE);
  }

  /** The number of the line {@link #next} returned last (1 for the first). */
  public int lineNumber() {
    return lineNumber;
  }

  /** The next line without its end, or null at the end of the input. */
  public String next() throws IOException {
    int n = 0;
    boolean any = false;
    while (true) {
      int b = read();
      if (b < 0) {
        if (!any) {
          return null;
        }
        break;
      }
      if (!any) {
        any = true;
        lineNumber++;
      }
      if (++total > maxTotal) {
        throw tooLarge(file, lineNumber, column(n));
      }
      if (b == '\n') {
        break;
      }
      if (b == '\r') {
        int after = read();
        if (after != '\n' && after >= 0) {
          pushedBack = after;
        } else if (after == '\n' && ++total > maxTotal) {
          throw tooLarge(file, lineNumber, column(n));
        }
        break;
      }
      if (b == 0) {
        throw new ScriptError(file, lineNumber, column(n),
            "binary input: a NUL byte (kstack reads UTF-8 text, one command per line)");
      }
      if (n == buf.length) {
        decode(n, false);
        throw tooLong(file, lineNumber);
      }
      buf[n++] = (byte) b;
    }
    String text = decode(n, true);
    // An editor's UTF-8 byte order mark is not part of the first command; columns count from
    // what follows it, as the editor shows the line.
    return lineNumber == 1 && !text.isEmpty() && text.charAt(0) == BOM ? text.substring(1) : text;
  }

  /** A scenario file over {@link #MAX_FILE_BYTES}, at the line and column where it crossed it. */
  private static ScriptError tooLarge(String file, int line, int column) {
    return new ScriptError(file, line, column, "the file is larger than " + (MAX_FILE_BYTES >> 20)
        + " MiB, the limit for a scenario file (split it)");
  }

  private static ScriptError tooLong(String file, int line) {
    return new ScriptError(file, line, 1, "the line is longer than " + MAX_LINE_BYTES
        + " bytes, the limit for one command");
  }

  private int read() throws IOException {
    if (pushedBack >= 0) {
      int b = pushedBack;
      pushedBack = -1;
      return b;
    }
    return in.read();
  }

  /** The column of the character that starts at byte n of the current line. */
  private int column(int n) {
    return new String(buf, 0, n, StandardCharsets.UTF_8).length() + 1 - bom(n);
  }

  /** 1 if the first n bytes of the first line start with a byte order mark, which has no column. */
  private int bom(int n) {
    return lineNumber == 1 && n >= 3 && (buf[0] & 0xff) == 0xef && (buf[1] & 0xff) == 0xbb
        && (buf[2] & 0xff) == 0xbf ? 1 : 0;
  }

  /**
   * The first n bytes of the line as text; invalid UTF-8 is refused where it starts. An incomplete
   * sequence at the end is an error only when the line is complete.
   */
  private String decode(int n, boolean complete) {
    CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(buf, 0, n);
    CharBuffer chars = CharBuffer.allocate(n);
    CoderResult r = d.decode(bytes, chars, complete);
    if (r.isError()) {
      throw new ScriptError(file, lineNumber, chars.position() + 1 - bom(n), String.format(
          "binary input: invalid UTF-8 (byte 0x%02x; kstack reads UTF-8 text)",
          buf[bytes.position()] & 0xff));
    }
    if (complete) {
      d.flush(chars);
    }
    return chars.flip().toString();
  }

  /**
   * Refuses a line over the limit and control characters in one command's text (a tab is a blank),
   * wherever it came from: a newline inside an
   * {@code -e} argument or an escape sequence would otherwise be run or printed as it is.
   * firstColumn is the column of text's first character.
   */
  public static void checkText(String file, int line, int firstColumn, String text) {
    if (text.length() > MAX_LINE_BYTES / 3
        && text.getBytes(StandardCharsets.UTF_8).length > MAX_LINE_BYTES) {
      throw tooLong(file, line);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        throw new ScriptError(file, line, firstColumn + i,
            "binary input: a NUL byte (kstack reads UTF-8 text, one command per line)");
      }
      if (c != '\t' && Character.getType(c) == Character.CONTROL) {
        throw new ScriptError(file, line, firstColumn + i, String.format(
            "control character U+%04X in a command (one command per line, text only)", (int) c));
      }
    }
  }
}
