package kstack.layout;

/** The C scalar types of one ABI (LP64 for x86_64 and arm64, ILP32 for i386). */
public final class Types {
  public final int word;
  public final CType u8 = new CType.Int("u8", 1, false);
  public final CType u16 = new CType.Int("u16", 2, false);
  public final CType u32 = new CType.Int("u32", 4, false);
  public final CType s32 = new CType.Int("int", 4, true);
  public final CType u64 = new CType.Int("u64", 8, false);
  public final CType ulong;
  public final CType slong;
  public final CType voidp;
  public final CType charT = new CType.Int("char", 1, true);

  public Types(int word) {
    this.word = word;
    this.ulong = new CType.Int("unsigned long", word, false);
    this.slong = new CType.Int("long", word, true);
    this.voidp = new CType.Ptr(new CType.Void(), word);
  }

  public CType ptr(CType target) {
    return new CType.Ptr(target, word);
  }

  public CType ptr(StructLayout target) {
    return new CType.Ptr(new CType.Struct(target), word);
  }

  /** A pointer to a struct named by name (may be laid out later). */
  public CType ptrTo(String structName) {
    return new CType.Ptr(new CType.Named(structName), word);
  }

  public CType struct(StructLayout s) {
    return new CType.Struct(s);
  }

  public CType array(CType element, int n) {
    return new CType.Array(element, n);
  }
}
