package kstack.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import kstack.exec.Abi;
import kstack.exec.Routine;
import kstack.exec.RoutineBuilder;
import kstack.image.Symbol;
import kstack.image.SymbolTable;
import kstack.layout.Member;
import kstack.layout.StructLayout;
import kstack.profile.Profile;

/**
 * What goes into the kernel image (vmlinux) and what is read back from it once linked: the
 * routines in link order, the linker's aliases, the symbol addresses, the struct layouts and the
 * profile's constants, the syscall table, and the initialisers that wait for the link.
 */
public final class ImageBuilder {
  private final Profile profile;
  private final Abi abi;
  private final SymbolTable symbols;
  /** The struct layouts of the profile: the arch's and the generic kernel's. */
  public final Map<String, StructLayout> structs;
  /** The profile's constants (THREAD_SIZE, PAGE_OFFSET, ...). */
  public final Map<String, Long> consts;
  /** The syscall table: number to the symbol do_syscall_64 reaches (sys_call_table / x64_sys_call). */
  public final Map<Integer, String> sysCallTable = new java.util.TreeMap<>();
  private final List<Routine> routines = new ArrayList<>();
  private final Map<String, String> aliases = new LinkedHashMap<>();
  private final NamedAddresses symbolCache = new NamedAddresses(this::resolveSymbol);
  /** The handle enums' members, resolved once per enum when the kernel is built. */
  private final StructMembers handles;
  private final List<Runnable> deferred = new ArrayList<>();
  /** The addresses steps captured by name, resolved right after the link. */
  private final List<LinkedAddress> refs = new ArrayList<>();
  /** sys_call_table as addresses by number (0 for an empty slot), filled right after the link. */
  private long[] sysCallAddresses;
  /** The last ni_syscall asked for and its address: one per kernel. */
  private String niSyscall;
  private long niSyscallAddress;
  private long userTextEnd;
  private long perCpuStart;
  private long perCpuSize;

  ImageBuilder(Profile profile, Abi abi, SymbolTable symbols,
      Map<String, StructLayout> structs, Map<String, Long> consts) {
    this.profile = profile;
    this.abi = abi;
    this.symbols = symbols;
    this.structs = structs;
    this.consts = consts;
    this.handles = new StructMembers(profile, structs);
  }

  public RoutineBuilder c(String name, String source) {
    return RoutineBuilder.c(name, source, abi);
  }

  public RoutineBuilder asm(String name, String source) {
    return RoutineBuilder.asm(name, source, abi);
  }

  public RoutineBuilder user(String name) {
    return RoutineBuilder.user(name, "kstack-box (the simulator's user program)", abi);
  }

  public void add(Routine r) {
    routines.add(r);
  }

  /** Another name for the same address, as the linker's alias attribute makes. */
  public void alias(String alias, String target) {
    aliases.put(alias, target);
  }

  public Map<String, String> aliases() {
    return aliases;
  }

  public List<Routine> routines() {
    return routines;
  }

  public long symbol(String name) {
    return symbolCache.of(name);
  }

  /**
   * A symbol's address for a step to capture when it is built: resolved right after the link,
   * so a name the image lacks fails the build.
   */
  public LinkedAddress ref(String name) {
    return ref(name, this::symbol);
  }

  /**
   * The step of a jump to a symbol ({@code jmp name}, {@code b name}): its address captured when
   * the step is built, so the jump reads a field; a name the image lacks fails the build.
   */
  public kstack.exec.Op jump(String name) {
    LinkedAddress to = ref(name);
    return x -> x.jumpTo(to.get());
  }

  /**
   * The step of a jump to a symbol the profile's image may lack (a vector whose handler the model
   * leaves out): resolved right after the link where defined, failing naming it only if taken.
   */
  public kstack.exec.Op jumpIfDefined(String name) {
    LinkedAddress to = new LinkedAddress(name, this::symbol, true);
    refs.add(to);
    return x -> x.jumpTo(to.get());
  }

  /** An address by name that resolve gives once the image is linked (see {@link #ref(String)}). */
  LinkedAddress ref(String name, java.util.function.ToLongFunction<String> resolve) {
    LinkedAddress a = new LinkedAddress(name, resolve, false);
    refs.add(a);
    return a;
  }

  /**
   * The address {@code sys_call_table[nr]} holds: the handler the table names, or ni for an
   * empty slot or a number past the table; an array index once the image is linked.
   */
  public long sysCallTarget(long nr, String ni) {
    long[] t = sysCallAddresses;
    int i = (int) nr;
    long a = t != null && i >= 0 && i < t.length ? t[i] : 0;
    if (a != 0) {
      return a;
    }
    if (t == null) {
      String s = sysCallTable.get(i); // before the link (never on a step): by name
      return symbol(s == null ? ni : s);
    }
    if (!ni.equals(niSyscall)) {
      niSyscallAddress = symbol(ni);
      niSyscall = ni;
    }
    return niSyscallAddress;
  }
  private long resolveSymbol(String name) {
    Symbol s = symbols.get(name);
    if (s == null) {
      throw new IllegalStateException("no symbol " + name + " in the " + profile.label() + " image");
    }
    return s.address();
  }

  public StructLayout struct(String name) {
    StructLayout s = structs.get(name);
    if (s == null) {
      throw new IllegalArgumentException("no struct " + name);
    }
    return s;
  }

  /** A member by its handle, resolved when the kernel was built: an index, no name looked up. */
  public Member member(StructMember m) {
    return handles.get(m);
  }

  /**
   * Resolves every member of a handle enum now, so that one its layout lacks fails when the
   * profile's kernel is built, naming the profile, the struct and the member.
   */
  public void resolve(Class<? extends StructMember> handleEnum) {
    handles.resolve(handleEnum);
  }

  public long constant(String name) {
    Long v = consts.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no constant " + name);
    }
    return v;
  }

  /** Runs after the image is linked: initialisers that need symbol addresses. */
  public void deferInit(Runnable r) {
    deferred.add(r);
  }

  public void runDeferred() {
    deferred.forEach(Runnable::run);
    deferred.clear();
    linkRefs();
  }

  /** Resolves every captured name and the syscall table: a name the image lacks fails here. */
  private void linkRefs() {
    refs.forEach(LinkedAddress::link);
    int n = sysCallTable.isEmpty() ? 0 : ((java.util.TreeMap<Integer, String>) sysCallTable)
        .lastKey() + 1;
    long[] t = new long[Math.max(0, n)];
    for (Map.Entry<Integer, String> e : sysCallTable.entrySet()) {
      if (e.getKey() >= 0) {
        t[e.getKey()] = symbol(e.getValue());
      }
    }
    sysCallAddresses = t;
  }

  /** First address after the user program's text (set when the user image is linked). */
  public long userTextEnd() {
    return userTextEnd;
  }

  public void setUserTextEnd(long end) {
    userTextEnd = end;
  }

  void perCpuTemplate(long start, long size) {
    perCpuStart = start;
    perCpuSize = size;
  }

  public long perCpuTemplateStart() {
    return perCpuStart;
  }

  public long perCpuTemplateSize() {
    return perCpuSize;
  }
}
