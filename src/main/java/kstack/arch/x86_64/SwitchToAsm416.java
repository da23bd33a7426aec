package kstack.arch.x86_64;

import java.util.Set;
import kstack.profile.Feature;

/**
 * 4.16's switch: __switch_to_asm into __switch_to, which publishes the stack top in
 * cpu_tss_rw.x86_tss.sp1; copy_thread_tls (x86 selects HAVE_COPY_THREAD_TLS) with frame->bp = 0
 * and ret_addr = ret_from_fork (process_64.c@4.16.13:267-304).
 */
public final class SwitchToAsm416 extends SwitchToAsm {
  @Override
  public Set<Feature> features() {
    return Set.of(Feature.TOP_OF_STACK_IN_TSS_SP1);
  }

  @Override
  public String copyThreadSymbol() {
    return "copy_thread_tls";
  }
}
