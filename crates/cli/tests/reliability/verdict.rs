//! What each fault step expected and what it saw, and the suite's verdict
//! computed from those outcomes alone.

use std::fmt::Display;

/// One fault step: the checks it made, each as expected and as seen.
#[derive(Clone, Debug)]
pub struct Outcome {
    pub fault: String,
    pub expected: Vec<String>,
    pub seen: Vec<String>,
}

impl Outcome {
    pub fn new(fault: impl Into<String>) -> Outcome {
        Outcome {
            fault: fault.into(),
            expected: Vec::new(),
            seen: Vec::new(),
        }
    }

    /// The step survived the fault when everything it saw was expected.
    pub fn survived(&self) -> bool {
        self.expected == self.seen
    }

    /// Records a value the step expected and the one it observed.
    pub fn compare<T: PartialEq + Display>(&mut self, what: &str, expected: T, seen: T) {
        self.expected.push(format!("{what}: {expected}"));
        self.seen.push(format!("{what}: {seen}"));
    }

    /// Records something the step waited for: met, or the wait's failure.
    pub fn waited<T>(&mut self, what: &str, result: Result<T, String>) -> Option<T> {
        self.expected.push(what.to_owned());
        match result {
            Ok(value) => {
                self.seen.push(what.to_owned());
                Some(value)
            }
            Err(missed) => {
                self.seen.push(format!("{what} NOT SEEN: {missed}"));
                None
            }
        }
    }

    /// The checks whose observation differed from the expectation.
    pub fn mismatches(&self) -> Vec<(String, String)> {
        let expected = self
            .expected
            .iter()
            .map(Some)
            .chain(std::iter::repeat(None));
        let seen = self.seen.iter().map(Some).chain(std::iter::repeat(None));
        expected
            .zip(seen)
            .take(self.expected.len().max(self.seen.len()))
            .filter(|(e, s)| e != s)
            .map(|(e, s)| {
                let show = |v: Option<&String>| v.cloned().unwrap_or_else(|| "-".into());
                (show(e), show(s))
            })
            .collect()
    }
}

/// The suite's result, computed from the outcomes and the reconciliation.
#[derive(Debug)]
pub struct Verdict {
    pub outcomes: Vec<Outcome>,
    pub lost: Vec<String>,
    pub duplicates: Vec<String>,
}

impl Verdict {
    pub fn survived(&self) -> usize {
        self.outcomes.iter().filter(|o| o.survived()).count()
    }

    pub fn passed(&self) -> bool {
        self.survived() == self.outcomes.len() && self.lost.is_empty() && self.duplicates.is_empty()
    }

    /// The headline `make test` shows.
    pub fn line(&self) -> String {
        format!(
            "faults survived: {}/{}, popups lost: {}, duplicates: {}",
            self.survived(),
            self.outcomes.len(),
            self.lost.len(),
            self.duplicates.len()
        )
    }

    /// Every failed step with its differing checks, and the subjects
    /// whose pop-ups were lost or doubled.
    pub fn failures(&self) -> String {
        let mut text = String::new();
        for outcome in self.outcomes.iter().filter(|o| !o.survived()) {
            text.push_str(&format!("fault {:?} not survived:\n", outcome.fault));
            for (expected, seen) in outcome.mismatches() {
                text.push_str(&format!("  expected {expected}\n  saw      {seen}\n"));
            }
        }
        if !self.lost.is_empty() {
            text.push_str(&format!("pop-ups lost for {:?}\n", self.lost));
        }
        if !self.duplicates.is_empty() {
            text.push_str(&format!("pop-ups doubled: {:?}\n", self.duplicates));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_survives_only_when_every_check_saw_what_it_expected() {
        let mut good = Outcome::new("drop 1");
        good.compare("fence pop-ups", 1, 1);
        good.waited("reconnected", Ok::<(), String>(()));
        let mut bad = Outcome::new("drop 2");
        bad.compare("fence pop-ups", 1, 2);
        bad.waited("reconnected", Err::<(), _>("timed out".into()));
        let verdict = Verdict {
            outcomes: vec![good, bad],
            lost: vec![],
            duplicates: vec!["f-rel-3".into()],
        };
        assert_eq!(
            verdict.line(),
            "faults survived: 1/2, popups lost: 0, duplicates: 1"
        );
        assert!(!verdict.passed());
        assert!(verdict.failures().contains("saw      fence pop-ups: 2"));
        assert!(
            verdict
                .failures()
                .contains("reconnected NOT SEEN: timed out")
        );
    }
}
