//! Severity as PMAP orders it. The derive order of the variants *is* the
//! product's order, so `min_severity` filters are plain comparisons.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

/// `informational < low < medium < high < critical < urgent`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Informational,
    Low,
    Medium,
    High,
    Critical,
    Urgent,
}

/// A severity string outside the scale.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("unknown severity {0:?}: expected informational, low, medium, high, critical or urgent")]
pub struct UnknownSeverity(pub String);

impl Severity {
    /// The scale, lowest first.
    pub const ALL: [Severity; 6] = [
        Severity::Informational,
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
        Severity::Urgent,
    ];

    /// Parses ignoring case and surrounding spaces; producers are not always
    /// careful about either, and a bad severity must not hide an event.
    pub fn parse(s: &str) -> Option<Severity> {
        let s = s.trim();
        Severity::ALL
            .into_iter()
            .find(|sev| sev.as_str().eq_ignore_ascii_case(s))
            .or_else(|| {
                s.eq_ignore_ascii_case("info")
                    .then_some(Severity::Informational)
            })
    }

    /// The lowercase wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Informational => "informational",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
            Severity::Urgent => "urgent",
        }
    }

    /// The capitalised name for pop-up text ("Critical").
    pub fn display_name(self) -> &'static str {
        match self {
            Severity::Informational => "Informational",
            Severity::Low => "Low",
            Severity::Medium => "Medium",
            Severity::High => "High",
            Severity::Critical => "Critical",
            Severity::Urgent => "Urgent",
        }
    }

    /// Critical and urgent events may break through quiet hours and pause.
    pub fn is_critical_or_urgent(self) -> bool {
        self >= Severity::Critical
    }
}

impl FromStr for Severity {
    type Err = UnknownSeverity;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Severity::parse(s).ok_or_else(|| UnknownSeverity(s.to_owned()))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Severity {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = String::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

/// For optional severities in server data: an unknown or mistyped value
/// becomes `None` instead of failing the whole document.
pub(crate) fn deserialize_lenient<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Severity>, D::Error> {
    let value = serde_json::Value::deserialize(deserializer)?;
    Ok(value.as_str().and_then(Severity::parse))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_is_ordered_informational_to_urgent() {
        for pair in Severity::ALL.windows(2) {
            assert!(pair[0] < pair[1], "{:?} < {:?}", pair[0], pair[1]);
        }
    }

    #[test]
    fn parse_tolerates_case_and_spaces() {
        let cases = [
            ("critical", Some(Severity::Critical)),
            ("CRITICAL", Some(Severity::Critical)),
            (" High ", Some(Severity::High)),
            ("Informational", Some(Severity::Informational)),
            ("info", Some(Severity::Informational)),
            ("urgent", Some(Severity::Urgent)),
            ("severe", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(Severity::parse(input), want, "{input:?}");
        }
    }

    #[test]
    fn serde_is_lowercase_and_reads_any_case() {
        assert_eq!(
            serde_json::to_string(&Severity::Urgent).expect("ser"),
            "\"urgent\""
        );
        let s: Severity = serde_json::from_str("\"MeDiUm\"").expect("de");
        assert_eq!(s, Severity::Medium);
        assert!(serde_json::from_str::<Severity>("\"nope\"").is_err());
    }

    #[test]
    fn only_critical_and_urgent_break_through() {
        let through: Vec<_> = Severity::ALL
            .into_iter()
            .filter(|s| s.is_critical_or_urgent())
            .collect();
        assert_eq!(through, [Severity::Critical, Severity::Urgent]);
    }
}
