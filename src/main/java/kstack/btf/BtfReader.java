package kstack.btf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one BTF blob: the header (struct btf_header: magic 0xeB9F in the writer's byte order,
 * version 1, flags, hdr_len, then the type and string sections' offsets and lengths, counted from
 * the end of the header), the string section (NUL-terminated names, offset 0 is "") and the type
 * section (struct btf_type records, each followed by its kind's data). Format:
 * Documentation/bpf/btf.rst@6.18 §2, include/uapi/linux/btf.h@6.18. Every read is bounds-checked
 * against its section, so a blob can only be refused with the byte offset, never overrun.
 */
final class BtfReader {
  static final int MAGIC = 0xeB9F;
  static final int HEADER_SIZE = 24;

  private final ByteBuffer buf;
  private final Btf base;
  private final int baseStrLen;
  private final int strStart;
  private final int strLen;
  private final Map<Integer, String> names = new HashMap<>();
  final int typeStart;
  final int typeEnd;
  final List<BtfType> types = new ArrayList<>();
  private int[] offsets = new int[1024];

  BtfReader(byte[] blob, Btf base) {
    this.base = base;
    this.buf = ByteBuffer.wrap(blob).order(order(blob));
    if (blob.length < HEADER_SIZE) {
      throw new BtfException(blob.length, "truncated header: BTF needs " + HEADER_SIZE
          + " bytes of header, the blob has " + blob.length);
    }
    if ((blob[2] & 0xff) != 1) {
      throw new BtfException(2, "unsupported BTF version " + (blob[2] & 0xff) + " (known: 1)");
    }
    long hdrLen = u32(4);
    if (hdrLen < HEADER_SIZE || hdrLen > blob.length) {
      throw new BtfException(4, "header length " + hdrLen + " is outside 24.." + blob.length);
    }
    long typeOff = u32(8);
    long typeLen = u32(12);
    long strOff = u32(16);
    long strLenL = u32(20);
    long body = blob.length - hdrLen;
    section(8, "type", typeOff, typeLen, body);
    section(16, "string", strOff, strLenL, body);
    if (typeOff % 4 != 0) {
      throw new BtfException(8, "type section offset " + typeOff + " is not 4-byte aligned");
    }
    if (typeOff < strOff + strLenL && strOff < typeOff + typeLen) {
      throw new BtfException(16, "the type section [" + typeOff + ", " + (typeOff + typeLen)
          + ") and the string section [" + strOff + ", " + (strOff + strLenL) + ") overlap");
    }
    this.typeStart = (int) (hdrLen + typeOff);
    this.typeEnd = (int) (typeStart + typeLen);
    this.strStart = (int) (hdrLen + strOff);
    this.strLen = (int) strLenL;
    this.baseStrLen = base == null ? 0 : base.stringsLength();
    checkStrings(blob);
  }

  private static ByteOrder order(byte[] blob) {
    if (blob.length >= 2) {
      int le = (blob[0] & 0xff) | (blob[1] & 0xff) << 8;
      if (le == MAGIC) {
        return ByteOrder.LITTLE_ENDIAN;
      }
      if (Integer.reverseBytes(le) >>> 16 == MAGIC) {
        return ByteOrder.BIG_ENDIAN;
      }
      throw new BtfException(0, String.format("bad magic 0x%02x%02x (BTF starts with 0xeB9F in "
          + "either byte order)", blob[0] & 0xff, blob[1] & 0xff));
    }
    throw new BtfException(blob.length, "truncated header: " + blob.length + " bytes");
  }

  ByteOrder order() {
    return buf.order();
  }

  int stringsLength() {
    return baseStrLen + strLen;
  }

  private void section(int at, String what, long off, long len, long body) {
    if (off + len > body) {
      throw new BtfException(at, "the " + what + " section [" + off + ", " + (off + len)
          + ") runs past the end of the blob (" + body + " bytes after the header)");
    }
  }

  private void checkStrings(byte[] blob) {
    if (strLen == 0) {
      if (base == null) {
        throw new BtfException(20, "the string section is empty (it must start with \"\")");
      }
      return;
    }
    if (base == null && blob[strStart] != 0) {
      throw new BtfException(strStart, "the string section does not start with \"\"");
    }
    if (blob[strStart + strLen - 1] != 0) {
      throw new BtfException(strStart + strLen - 1, "the string section's last string is not "
          + "NUL-terminated");
    }
  }

  private long u32(int at) {
    return buf.getInt(at) & 0xffffffffL;
  }

  /** The string at a string-section offset; split BTF's offsets continue after the base's. */
  String string(long off, int at) {
    if (off < baseStrLen) {
      return base.string((int) off);
    }
    long local = off - baseStrLen;
    if (local >= strLen) {
      throw new BtfException(at, "name offset " + off + " is past the string section ("
          + (baseStrLen + strLen) + " bytes)");
    }
    return names.computeIfAbsent((int) local, this::decode);
  }

  private String decode(int local) {
    int s = strStart + local;
    int e = s;
    while (buf.get(e) != 0) {
      e++;
    }
    return new String(buf.array(), s, e - s, StandardCharsets.UTF_8);
  }

  /** Reads every type record; the first gets id firstId. */
  void readTypes(int firstId) {
    int pos = typeStart;
    while (pos < typeEnd) {
      if (typeEnd - pos < 12) {
        throw new BtfException(pos, "truncated type record: " + (typeEnd - pos)
            + " bytes left in the type section, a record needs 12");
      }
      int id = firstId + types.size();
      if (types.size() == offsets.length) {
        offsets = java.util.Arrays.copyOf(offsets, offsets.length * 2);
      }
      offsets[types.size()] = pos;
      pos = new BtfRecord(this, pos, id).read(types);
    }
  }

  /** The byte offset of each type record read, in id order. */
  int[] offsets() {
    return java.util.Arrays.copyOf(offsets, types.size());
  }

  int i32(int at) {
    return buf.getInt(at);
  }

  long u32At(int at) {
    return u32(at);
  }

  /** Refuses a record whose kind data would run past the type section. */
  void need(int pos, long bytes, int id, BtfKind kind) {
    if (pos + bytes > typeEnd) {
      throw new BtfException(pos, "type " + id + " (" + kind + ") needs " + bytes
          + " bytes of data, the type section has " + (typeEnd - pos) + " left");
    }
  }
}
