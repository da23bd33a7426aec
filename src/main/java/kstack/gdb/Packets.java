package kstack.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The framing of the Remote Serial Protocol: {@code $data#cs} packets with a two-hex-digit modulo-256
 * checksum, {@code +}/{@code -} acknowledgements until no-ack mode is agreed, {@code }}-escapes, and
 * the lone 0x03 byte that is gdb's Ctrl-C. A packet longer than the size offered in qSupported is
 * read to its end without being kept and answered as an error, so no client can make the stub hold
 * more than that many bytes.
 */
final class Packets {
  /** What {@link #read} yields besides a packet's text. */
  static final String INTERRUPT = "\u0003";
  static final String OVERSIZE = "\u0000oversize";

  private final InputStream in;
  private final OutputStream out;
  private final int max;
  private boolean acks = true;
  private byte[] last = new byte[0];

  Packets(InputStream in, OutputStream out, int max) {
    this.in = in;
    this.out = out;
    this.max = max;
  }

  /** No-ack mode (QStartNoAckMode): from the next packet on, neither side sends + or -. */
  void stopAcks() {
    acks = false;
  }

  /**
   * The next packet's text (escapes undone), {@link #INTERRUPT}, {@link #OVERSIZE}, or null when the
   * client has gone (also in the middle of a packet). A packet whose checksum does not match is
   * refused with {@code -} (gdb sends it again) and reading goes on.
   */
  String read() throws IOException {
    while (true) {
      int b = in.read();
      if (b < 0) {
        return null;
      }
      if (b == 0x03) {
        return INTERRUPT;
      }
      if (b == '-' && acks) {
        out.write(last);
        out.flush();
      }
      if (b != '$') {
        continue; // '+', and any noise between packets
      }
      String p = body();
      if (p != null) {
        return p;
      }
    }
  }

  /** The rest of a packet after its '$': its text, OVERSIZE, or null after a nak (read on). */
  private String body() throws IOException {
    StringBuilder data = new StringBuilder();
    int sum = 0;
    boolean oversize = false;
    int b;
    while ((b = in.read()) != '#') {
      if (b < 0) {
        throw new java.io.EOFException("the client left in the middle of a packet");
      }
      sum += b;
      if (data.length() < max) {
        data.append((char) b);
      } else {
        oversize = true;
      }
    }
    int hi = Character.digit(readByte(), 16);
    int lo = Character.digit(readByte(), 16);
    if (hi < 0 || lo < 0 || ((hi << 4) | lo) != (sum & 0xff)) {
      if (acks) {
        out.write('-');
        out.flush();
      }
      return null;
    }
    if (acks) {
      out.write('+');
      out.flush();
    }
    return oversize ? OVERSIZE : unescape(data);
  }

  private int readByte() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new java.io.EOFException("the client left in the middle of a packet's checksum");
    }
    return b;
  }

  private static String unescape(StringBuilder s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '}' && i + 1 < s.length()) {
        out.append((char) (s.charAt(++i) ^ 0x20));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Sends one packet; '$', '#', '}' and '*' in the data are escaped. */
  void send(String data) throws IOException {
    StringBuilder s = new StringBuilder(data.length() + 4).append('$');
    int sum = 0;
    for (int i = 0; i < data.length(); i++) {
      char c = data.charAt(i);
      if (c == '$' || c == '#' || c == '}' || c == '*') {
        s.append('}');
        sum += '}';
        c ^= 0x20;
      }
      s.append(c);
      sum += c;
    }
    s.append('#').append(String.format("%02x", sum & 0xff));
    last = s.toString().getBytes(StandardCharsets.ISO_8859_1);
    out.write(last);
    out.flush();
  }

  /** Text for gdb's console: O packets of its hex, each within the packet size. */
  void console(String text) throws IOException {
    String hex = hex(text);
    int chunk = (max - 2) & ~1;
    for (int i = 0; i < hex.length(); i += chunk) {
      send("O" + hex.substring(i, Math.min(hex.length(), i + chunk)));
    }
  }

  /** Whether a byte is waiting (a Ctrl-C sent while the machine ran). */
  boolean interruptWaiting() throws IOException {
    while (in.available() > 0) {
      in.mark(1);
      int b = in.read();
      if (b == 0x03) {
        return true;
      }
      if (b != '+') {
        in.reset();
        return false;
      }
    }
    return false;
  }

  /** Hex of text's UTF-8 bytes (qRcmd output, O packets, qThreadExtraInfo). */
  static String hex(String text) {
    StringBuilder s = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      s.append(String.format("%02x", b & 0xff));
    }
    return s.toString();
  }

  /** Text from hex digits; malformed hex is an IllegalArgumentException. */
  static String unhex(String hex) {
    return new String(bytes(hex), StandardCharsets.UTF_8);
  }

  static byte[] bytes(String hex) {
    if (hex.length() % 2 != 0) {
      throw new IllegalArgumentException("odd number of hex digits");
    }
    byte[] b = new byte[hex.length() / 2];
    for (int i = 0; i < b.length; i++) {
      int hi = Character.digit(hex.charAt(2 * i), 16);
      int lo = Character.digit(hex.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException("not a hex digit in '" + hex + "'");
      }
      b[i] = (byte) ((hi << 4) | lo);
    }
    return b;
  }
}
