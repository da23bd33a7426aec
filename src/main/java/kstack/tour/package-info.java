/**
 * Guided tours: one per topic of the texts kstack exists for, each a short run of commands on a
 * profile (or one profile per stop, to compare generations) with an explanation per stop in
 * English and Simplified Chinese and the region of the drawing the stop points at. Above
 * {@code kstack.lang} and {@code kstack.view}; used by {@code kstack tour} (cli) and the web page.
 */
package kstack.tour;
