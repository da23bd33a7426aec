package kstack.arch.i386;

/**
 * The interrupts of the generations whose tick is the 8253 PIT on IRQ 0 at FIRST_EXTERNAL_VECTOR
 * and whose legacy lines sit right there (2.4, 2.6.11 UP): i8259.c's layout. Their modules extend it.
 */
public abstract class PicIrq implements I386IrqModel {
  @Override
  public int timerVector() {
    return I386Irq.FIRST_EXTERNAL_VECTOR;
  }

  @Override
  public String timerName() {
    return "IRQ 0 timer (8253 PIT)";
  }

  /** The 8259 lines at FIRST_EXTERNAL_VECTOR + irq (i8259.c@2.4.22:443-460, @2.6.11:363-410). */
  @Override
  public int isaIrqBase() {
    return I386Irq.FIRST_EXTERNAL_VECTOR;
  }
}
