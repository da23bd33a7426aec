package kstack.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A routine holds exactly the addresses of its steps; the code map finds it by any of them. */
class RoutineRangeTest {
  private static final long TEXT = 0xffffffff81000000L;

  private static Routine placed(String name, long base) {
    Routine r = RoutineBuilder.asm(name, "test", LinkTimeNamesTest.ABI)
        .step("nop", x -> { }).step("nop", x -> { }).step("ret", x -> { }).build();
    r.place(base);
    return r;
  }

  @Test
  void aRoutineHoldsFromItsBaseUpToButNotIncludingItsEnd() {
    Routine r = placed("f", TEXT);
    long end = TEXT + r.size();
    assertThat(r.contains(TEXT)).isTrue();
    assertThat(r.contains(end - 1)).isTrue();
    assertThat(r.contains(end)).isFalse();
    assertThat(r.contains(TEXT - 1)).isFalse(); // below the base: wraps past the size
    assertThat(r.contains(0)).isFalse();
    assertThat(r.contains(-1L)).isFalse();
  }

  @Test
  void theCodeMapFindsEachRoutineByEveryStepAndNothingBetweenThem() {
    CodeMap code = new CodeMap();
    Routine f = placed("f", TEXT);
    Routine g = placed("g", TEXT + 0x100);
    code.add(f);
    code.add(g);
    for (int i = 0; i < 3; i++) {
      assertThat(code.at(f.address(i))).isSameAs(f);
      assertThat(code.at(g.address(i))).isSameAs(g);
    }
    assertThat(code.at(TEXT + f.size())).isNull();
    assertThat(code.at(TEXT - Routine.INSN_SIZE)).isNull();
    assertThat(code.at(f.address(1))).isSameAs(f); // after g's lookups: the cache answers right
  }
}
