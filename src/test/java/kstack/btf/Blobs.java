package kstack.btf;

import java.nio.ByteOrder;

/**
 * Blobs the tests read: {@link #everyKind} holds one type of every kind, a struct with bitfields
 * (kind_flag) and an anonymous union, and a .data..percpu section; the ids are fixed below.
 */
final class Blobs {
  static final int INT = 1;
  static final int LONG = 2;
  static final int PTR_VOID = 3;
  static final int CHAR = 4;
  static final int ARRAY = 5;
  static final int U16 = 6;
  static final int UNION = 7;
  static final int STRUCT = 8;
  static final int ENUM = 9;
  static final int ENUM64 = 10;
  static final int FWD = 11;
  static final int TYPEDEF = 12;
  static final int VOLATILE = 13;
  static final int CONST = 14;
  static final int RESTRICT = 15;
  static final int PROTO = 16;
  static final int FUNC = 17;
  static final int VAR = 18;
  static final int DATASEC = 19;
  static final int FLOAT = 20;
  static final int DECL_TAG = 21;
  static final int TYPE_TAG = 22;
  static final int FN_PTR = 23;
  static final int OLD_BITS = 24;
  static final int COUNT = 25;

  private Blobs() {}

  static BtfWriter everyKindWriter(ByteOrder order) {
    BtfWriter w = new BtfWriter(order);
    w.integer("int", 4, true, 32);
    w.integer("long int", 8, true, 64);
    w.ref(BtfKind.PTR, "", 0);
    w.integer("char", 1, true, 8);
    w.array(CHAR, INT, 16);
    w.integer("u16", 2, false, 16);
    w.composite(BtfKind.UNION, "", 8, new BtfWriter.M("cs", U16, 0, 0),
        new BtfWriter.M("csx", LONG, 0, 0));
    w.composite(BtfKind.STRUCT, "regs", 48, new BtfWriter.M("ip", LONG, 0, 0),
        new BtfWriter.M("", UNION, 64, 0), new BtfWriter.M("flag", INT, 128, 1),
        new BtfWriter.M("mode", INT, 129, 3), new BtfWriter.M("comm", ARRAY, 192, 0),
        new BtfWriter.M("next", PTR_VOID, 320, 0));
    w.enumeration("pid_type", 4, true, new String[] {"PIDTYPE_PID", "NEG"}, new long[] {0, -1});
    w.enum64("big", new String[] {"HUGE"}, new long[] {0x8000000000000001L});
    w.type("task_struct", 7, 0, false, 0);
    w.ref(BtfKind.TYPEDEF, "regs_t", STRUCT);
    w.ref(BtfKind.VOLATILE, "", INT);
    w.ref(BtfKind.CONST, "", CHAR);
    w.ref(BtfKind.RESTRICT, "", PTR_VOID);
    w.proto(INT, new String[] {"arg"}, new int[] {PTR_VOID});
    w.type("threadfn", 12, 1, false, PROTO);
    w.type("current_task", 14, 0, false, PTR_VOID, 1);
    w.datasec(".data..percpu", 4096, VAR, 0x18, 8);
    w.type("double", 16, 0, false, 8);
    w.type("tag", 17, 0, false, STRUCT, 0xffffffffL);
    w.ref(BtfKind.TYPE_TAG, "user", PTR_VOID);
    w.ref(BtfKind.PTR, "", PROTO);
    w.integer("old_bits", 4, false, 5);
    return w;
  }

  static byte[] everyKind(ByteOrder order) {
    return everyKindWriter(order).bytes();
  }
}
