package kstack.btf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes BTF blobs for the tests: the header, a type section with any kind (one call per type,
 * returning its id) and the string section, in either byte order; split BTF continues a base's
 * type ids and string offsets (Documentation/bpf/btf.rst@6.18 §2).
 */
public final class BtfWriter {
  private final ByteOrder order;
  private final ByteArrayOutputStream types = new ByteArrayOutputStream();
  private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
  private final Map<String, Integer> offsets = new HashMap<>();
  private final int baseStrLen;
  private int next;

  /** A base blob: ids from 1, strings starting with "". */
  public BtfWriter(ByteOrder order) {
    this.order = order;
    this.baseStrLen = 0;
    this.next = 1;
    strings.write(0);
    offsets.put("", 0);
  }

  /** Split BTF on a base with baseCount type ids (void included) and baseStrLen string bytes. */
  public BtfWriter(ByteOrder order, int baseCount, int baseStrLen) {
    this.order = order;
    this.baseStrLen = baseStrLen;
    this.next = baseCount;
  }

  /** A string's offset, added once; "" in split BTF is the base's offset 0. */
  public int str(String s) {
    if (s.isEmpty() && baseStrLen > 0) {
      return 0;
    }
    return offsets.computeIfAbsent(s, k -> {
      int off = baseStrLen + strings.size();
      strings.writeBytes(k.getBytes(StandardCharsets.UTF_8));
      strings.write(0);
      return off;
    });
  }

  /** A raw struct btf_type with kind data words; returns its id. */
  public int type(String name, int kind, int vlen, boolean kflag, long sizeOrType, long... data) {
    words(str(name), (long) kind << 24 | vlen & 0xffff | (kflag ? 1L << 31 : 0), sizeOrType);
    words(data);
    return next++;
  }

  private void words(long... ws) {
    ByteBuffer b = ByteBuffer.allocate(4 * ws.length).order(order);
    for (long w : ws) {
      b.putInt((int) w);
    }
    types.writeBytes(b.array());
  }

  public int integer(String name, int size, boolean signed, int bits) {
    return type(name, 1, 0, false, size, (signed ? 1L << 24 : 0) | bits);
  }

  public int ref(BtfKind kind, String name, int target) {
    return type(name, kind.ordinal(), 0, false, target);
  }

  public int array(int element, int index, long n) {
    return type("", 3, 0, false, 0, element, index, n);
  }

  /** A member: name, type, bit offset, bitfield width (0: none). */
  public record M(String name, int type, long bitOffset, int bits) {}

  public int composite(BtfKind kind, String name, long size, M... ms) {
    boolean kflag = false;
    for (M m : ms) {
      kflag |= m.bits() != 0;
    }
    long[] d = new long[3 * ms.length];
    for (int i = 0; i < ms.length; i++) {
      d[3 * i] = str(ms[i].name());
      d[3 * i + 1] = ms[i].type();
      d[3 * i + 2] = kflag ? (long) ms[i].bits() << 24 | ms[i].bitOffset() : ms[i].bitOffset();
    }
    return type(name, kind.ordinal(), ms.length, kflag, size, d);
  }

  public int enumeration(String name, int size, boolean signed, String[] names, long[] values) {
    long[] d = new long[2 * names.length];
    for (int i = 0; i < names.length; i++) {
      d[2 * i] = str(names[i]);
      d[2 * i + 1] = values[i];
    }
    return type(name, 6, names.length, signed, size, d);
  }

  public int enum64(String name, String[] names, long[] values) {
    long[] d = new long[3 * names.length];
    for (int i = 0; i < names.length; i++) {
      d[3 * i] = str(names[i]);
      d[3 * i + 1] = values[i] & 0xffffffffL;
      d[3 * i + 2] = values[i] >>> 32;
    }
    return type(name, 19, names.length, false, 8, d);
  }

  public int proto(int ret, String[] names, int[] params) {
    long[] d = new long[2 * params.length];
    for (int i = 0; i < params.length; i++) {
      d[2 * i] = str(names[i]);
      d[2 * i + 1] = params[i];
    }
    return type("", 13, params.length, false, ret, d);
  }

  /** A data section's variables: (var type id, offset, size) triples. */
  public int datasec(String name, long size, long... triples) {
    return type(name, 15, triples.length / 3, false, size, triples);
  }

  /** The blob: header (hdr_len 24, types at 0, strings after them), types, strings. */
  public byte[] bytes() {
    ByteBuffer h = ByteBuffer.allocate(24).order(order);
    h.putShort((short) 0xeB9F).put((byte) 1).put((byte) 0).putInt(24)
        .putInt(0).putInt(types.size()).putInt(types.size()).putInt(strings.size());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(h.array());
    out.writeBytes(types.toByteArray());
    out.writeBytes(strings.toByteArray());
    return out.toByteArray();
  }

  /** The string section's length (a split blob's base needs it). */
  public int stringsLength() {
    return strings.size();
  }

  /** The next type id. */
  public int nextId() {
    return next;
  }
}
