//! Core and pmap-sim each write the protocol's vocabulary down on their own
//! (the simulator is the second implementation and does not depend on
//! core). This test is what keeps the two copies equal: it fails when
//! either side adds, drops or renames an event type, a severity or a server
//! channel alone, or reads a preference matrix differently.

use std::collections::{BTreeMap, BTreeSet};

use companion_core::preferences::{ServerChannel, server_enabled};
use companion_core::{EventType, Severity};

/// Asserts that two lists name the same things, each once. Compared as
/// sets: the order of either list carries no protocol meaning (core's order
/// is only the order the preference grid shows).
fn assert_same_names(what: &str, core: &[&str], sim: &[&str]) {
    let core_set: BTreeSet<&str> = core.iter().copied().collect();
    let sim_set: BTreeSet<&str> = sim.iter().copied().collect();
    assert_eq!(core_set.len(), core.len(), "core lists a {what} twice");
    assert_eq!(sim_set.len(), sim.len(), "pmap-sim lists a {what} twice");
    let only_core: Vec<_> = core_set.difference(&sim_set).collect();
    let only_sim: Vec<_> = sim_set.difference(&core_set).collect();
    assert!(
        only_core.is_empty() && only_sim.is_empty(),
        "the {what} lists drifted: only in core {only_core:?}, only in pmap-sim {only_sim:?}"
    );
}

#[test]
fn core_and_sim_know_the_same_event_types() {
    let core: Vec<&str> = EventType::ALL.iter().map(EventType::as_str).collect();
    assert_same_names("event type", &core, pmap_sim::EVENT_TYPES);
}

#[test]
fn core_and_sim_know_the_same_server_channels() {
    let core = ServerChannel::ALL.map(ServerChannel::as_str);
    assert_same_names("server channel", &core, &pmap_sim::CHANNELS);
}

/// The lookup rule (namespaced beats legacy, missing means enabled) is
/// compared on matrices that exercise each part of it, for every channel.
#[test]
fn core_and_sim_read_a_preference_matrix_the_same_way() {
    let matrices: [&[(&str, bool)]; 4] = [
        &[],
        &[("sla_breached", false)],
        &[("sla_breached", false), ("email.sla_breached", true)],
        &[("sla_breached", true), ("webhook.sla_breached", false)],
    ];
    for entries in matrices {
        let matrix: BTreeMap<String, bool> =
            entries.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect();
        for channel in ServerChannel::ALL {
            for ty in [EventType::SlaBreached, EventType::ScanCompleted] {
                assert_eq!(
                    server_enabled(&matrix, channel, &ty),
                    pmap_sim::preference_enabled(&matrix, channel.as_str(), ty.as_str()),
                    "{channel:?}.{ty} under {entries:?}: core first, pmap-sim second"
                );
            }
        }
    }
}

/// Severities are compared in order: the scale's order is the protocol
/// fact (`min_severity` filters compare positions).
#[test]
fn core_and_sim_have_the_same_severity_scale_in_order() {
    let core: Vec<&str> = Severity::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(core, pmap_sim::SEVERITIES, "core first, pmap-sim second");
}
