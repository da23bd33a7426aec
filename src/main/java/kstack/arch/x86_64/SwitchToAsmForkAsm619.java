package kstack.arch.x86_64;

import java.util.Set;
import kstack.profile.Feature;

/**
 * 6.19's switch: __switch_to_asm into __switch_to, the stack top in the per-CPU
 * cpu_current_top_of_stack; copy_thread(p, args) with an encoded frame pointer and ret_addr =
 * ret_from_fork_asm (process.c@6.19:170-270; entry_64.S@6.19:229-259).
 */
public final class SwitchToAsmForkAsm619 extends SwitchToAsm {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TOP_OF_STACK_PERCPU, Feature.RET_FROM_FORK_ASM_AND_C,
        Feature.FORK_FRAME_ENCODED_BP);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread";
  }
}
