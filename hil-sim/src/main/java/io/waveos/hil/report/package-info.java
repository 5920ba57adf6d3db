/**
 * The run report: one self-contained HTML page (inline CSS and SVG, no scripts, no network) with a
 * timeline per scenario, its expectations and links to the evidence; and a JUnit XML file for CI.
 * Depends on the grading results; writes files only into the report folder it is given.
 */
package io.waveos.hil.report;
