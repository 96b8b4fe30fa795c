/** Fault injection at the points routes mark, switched on by the FAULTS setting. */
package io.github.camelotel.platform.faults;
