/**
 * Scenario files: the strict YAML loader and the validated scenario records (device, Guardian,
 * fault timeline, expectations). Pure: no processes, no clocks; reads text handed to it. Must not
 * depend on the rigs, grading or the report.
 */
package io.waveos.hil.scenario;
