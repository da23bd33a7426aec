package kstack.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A little-endian byte buffer for the ELF and DWARF writers. */
final class Bytes {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Bytes u8(int v) {
    out.write(v);
    return this;
  }

  Bytes u16(int v) {
    return u8(v).u8(v >>> 8);
  }

  Bytes u32(long v) {
    return u16((int) v).u16((int) (v >>> 16));
  }

  Bytes u64(long v) {
    return u32(v).u32(v >>> 32);
  }

  /** A word of the ELF class: 4 bytes (ELFCLASS32) or 8 (ELFCLASS64). */
  Bytes word(long v, int size) {
    return size == 8 ? u64(v) : u32(v);
  }

  /** Unsigned LEB128. */
  Bytes uleb(long v) {
    do {
      int b = (int) (v & 0x7f);
      v >>>= 7;
      u8(v != 0 ? b | 0x80 : b);
    } while (v != 0);
    return this;
  }

  /** A NUL-terminated string. */
  Bytes str(String s) {
    out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    return u8(0);
  }

  Bytes bytes(byte[] b) {
    out.writeBytes(b);
    return this;
  }

  Bytes padTo(int align) {
    while (out.size() % align != 0) {
      u8(0);
    }
    return this;
  }

  int size() {
    return out.size();
  }

  byte[] toArray() {
    return out.toByteArray();
  }
}
