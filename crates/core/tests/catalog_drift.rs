//! Core and pmap-sim each write the protocol's vocabulary down on their own
//! (the simulator is the second implementation and does not depend on
//! core). This test is what keeps the two copies equal: it fails when
//! either side adds, drops or renames an event type or a severity alone.

use std::collections::BTreeSet;

use companion_core::{EventType, Severity};

/// Event types are compared as sets: the catalog is a set of names and the
/// order of either list carries no protocol meaning (core's order is only
/// the order the preference grid shows). Each side must also list every
/// name once, which a set comparison alone would not see.
#[test]
fn core_and_sim_know_the_same_event_types() {
    let core: Vec<&str> = EventType::ALL.iter().map(EventType::as_str).collect();
    let sim: Vec<&str> = pmap_sim::EVENT_TYPES.to_vec();
    let core_set: BTreeSet<&str> = core.iter().copied().collect();
    let sim_set: BTreeSet<&str> = sim.iter().copied().collect();
    assert_eq!(core_set.len(), core.len(), "core lists a type twice");
    assert_eq!(sim_set.len(), sim.len(), "pmap-sim lists a type twice");
    let only_core: Vec<_> = core_set.difference(&sim_set).collect();
    let only_sim: Vec<_> = sim_set.difference(&core_set).collect();
    assert!(
        only_core.is_empty() && only_sim.is_empty(),
        "the catalogs drifted: only in core {only_core:?}, only in pmap-sim {only_sim:?}"
    );
}

/// Severities are compared in order: the scale's order is the protocol
/// fact (`min_severity` filters compare positions).
#[test]
fn core_and_sim_have_the_same_severity_scale_in_order() {
    let core: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(core, pmap_sim::SEVERITIES, "core first, pmap-sim second");
}
