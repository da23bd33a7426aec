package kstack.arch.i386;

/**
 * The SYSENTER path of the generations with a cpu_entry_area entry stack (4.16, 6.19):
 * entry_SYSENTER_32, SYSENTER_ESP at the top of the entry stack, the vDSO's int80_landing_pad
 * (entry/vdso/vdso32/system_call.S). Their modules extend it with their own entry routine.
 */
public abstract class EntryStackSysenter implements I386SysenterModel {
  @Override
  public String entrySymbol() {
    return "entry_SYSENTER_32";
  }

  @Override
  public String landingPad() {
    return "int80_landing_pad";
  }

  @Override
  public String vdsoSource() {
    return "arch/x86/entry/vdso/vdso32/system_call.S (vDSO)";
  }

  @Override
  public String enableSepSource() {
    return "arch/x86/kernel/cpu/common.c";
  }

  @Override
  public String enableSepText() {
    return "tss->x86_tss.ss1 = __KERNEL_CS; wrmsr(MSR_IA32_SYSENTER_CS, tss->x86_tss.ss1); "
        + "wrmsr(MSR_IA32_SYSENTER_ESP, cpu_entry_stack(cpu) + 1): the top of this CPU's "
        + "entry stack";
  }
}
