package kstack.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import kstack.image.Linker;
import kstack.image.Symbol;
import kstack.image.SymbolTable;
import org.junit.jupiter.api.Test;

/** Local handles resolved to frame slots when a routine is built; calls resolved when it links. */
class LinkTimeNamesTest {
  enum L implements Local { a, b, c, r }

  /** Another class's handles: the same C names, a different enum. */
  enum Other implements Local { zzz, b }

  /** A frameless-enough ABI: no prologue steps, a one-step epilogue, 8-byte slots below fp. */
  static final Abi ABI = new PushedReturnAbi(8) {
    @Override
    public List<Insn> prologue(int params, int localSlots) {
      return List.of(new Insn("push %rbp", x -> { }));
    }
  };

  private static final long TEXT = 0xffffffff81000000L;

  @Test
  void aHandleReadsTheFrameSlotFixedWhenTheRoutineWasBuilt() {
    Routine r = RoutineBuilder.c("f", "test", ABI).params(L.a, L.b).locals(L.c).retVoid().build();
    assertThat(r.slot(L.a)).isZero();
    assertThat(r.slot(L.b)).isEqualTo(1);
    assertThat(r.slot(L.c)).isEqualTo(2);
    assertThat(r.localSlot("c")).isEqualTo(2); // user input goes by name through the same map
    assertThat(r.slot(Other.b)).isEqualTo(1); // a helper class's handle of the same C name
  }

  @Test
  void aHandleTheRoutineDoesNotDeclareFailsNamingRoutineAndLocal() {
    Routine r = RoutineBuilder.c("do_thing", "test", ABI).params(L.a).retVoid().build();
    assertThatThrownBy(() -> r.slot(L.c)).hasMessage("do_thing has no local c");
    assertThatThrownBy(() -> r.slot(Other.zzz)).hasMessage("do_thing has no local zzz");
  }

  @Test
  void aResultLocalTheRoutineDoesNotDeclareFailsTheBuild() {
    RoutineBuilder b = RoutineBuilder.c("caller", "test", ABI).params(L.a)
        .callInto(L.r, "r = g(a)", "g", Args.of(x -> x.get(L.a))).retVoid();
    assertThatThrownBy(b::build).hasMessage("caller: result local 'r' is not declared");
  }

  @Test
  void aJumpToAnUndefinedLabelFailsTheBuild() {
    RoutineBuilder b = RoutineBuilder.c("looper", "test", ABI).jump("again", "goto again").retVoid();
    assertThatThrownBy(b::build).hasMessage("looper: jump to undefined label 'again'");
  }

  @Test
  void aCallToAMissingTargetFailsTheLinkNamingCallerAndCallee() {
    Routine caller = RoutineBuilder.c("caller", "test", ABI)
        .call("nowhere()", "nowhere", Args.none()).retVoid().build();
    CodeMap code = new CodeMap();
    SymbolTable symbols = new SymbolTable();
    place(caller, TEXT, code, symbols);
    assertThatThrownBy(() -> Linker.resolveCalls(code, symbols))
        .hasMessage("link: caller calls nowhere, which the image does not define");
  }

  @Test
  void tooFewArgumentsForTheCalleesParametersFailTheLinkNamingBothCounts() {
    assertThatThrownBy(() -> linkCallOfTwoParamG(Args.of(x -> x.get(L.a))))
        .hasMessage("link: caller calls g with 1 argument, but g takes 2");
    assertThatThrownBy(() -> linkCallOfTwoParamG(Args.none()))
        .hasMessage("link: caller calls g with 0 arguments, but g takes 2");
  }

  @Test
  void tooManyArgumentsForTheCalleesParametersFailTheLinkNamingBothCounts() {
    assertThatThrownBy(() -> linkCallOfTwoParamG(Args.of(x -> 1, x -> 2, x -> 3)))
        .hasMessage("link: caller calls g with 3 arguments, but g takes 2");
  }

  @Test
  void aCallerOfAFunctionWithoutParametersThatPassesOneFailsTheLink() {
    Routine callee = RoutineBuilder.c("schedule", "test", ABI).params().retVoid().build();
    Routine caller = RoutineBuilder.c("preempt_schedule_irq", "test", ABI)
        .call("schedule()", "schedule", Args.of(x -> 1)).retVoid().build();
    CodeMap code = new CodeMap();
    SymbolTable symbols = new SymbolTable();
    place(callee, TEXT, code, symbols);
    place(caller, TEXT + 0x100, code, symbols);
    assertThatThrownBy(() -> Linker.resolveCalls(code, symbols))
        .hasMessage("link: preempt_schedule_irq calls schedule with 1 argument, but schedule takes 0");
  }

  /** Links a caller passing args to g(a, b); throws what the link step throws. */
  private static void linkCallOfTwoParamG(Args args) {
    Routine callee = RoutineBuilder.c("g", "test", ABI).params(L.a, L.b).retVoid().build();
    Routine caller = RoutineBuilder.c("caller", "test", ABI).params(L.a)
        .call("g(...)", "g", args).retVoid().build();
    CodeMap code = new CodeMap();
    SymbolTable symbols = new SymbolTable();
    place(callee, TEXT, code, symbols);
    place(caller, TEXT + 0x100, code, symbols);
    Linker.resolveCalls(code, symbols);
  }

  @Test
  void aMatchingCallIsResolvedToTheCalleesAddressAtLink() {
    Routine callee = RoutineBuilder.c("g", "test", ABI).params(L.a).unspilledParams(L.b)
        .retVoid().build();
    Routine caller = RoutineBuilder.c("caller", "test", ABI)
        .call("g(1, 2)", "g", Args.of(x -> 1, x -> 2)).retVoid().build();
    CodeMap code = new CodeMap();
    SymbolTable symbols = new SymbolTable();
    place(callee, TEXT, code, symbols);
    place(caller, TEXT + 0x100, code, symbols);
    Linker.resolveCalls(code, symbols);
    assertThat(caller.calls()).singleElement().satisfies(c -> {
      assertThat(c.resolved()).isTrue();
      assertThat(c.address()).isEqualTo(TEXT);
      assertThat(c.argCount()).isEqualTo(2);
    });
  }

  private static void place(Routine r, long at, CodeMap code, SymbolTable symbols) {
    r.place(at);
    code.add(r);
    symbols.add(new Symbol(r.name(), at, r.size(), Symbol.Kind.FUNC, null));
  }
}
