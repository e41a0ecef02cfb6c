//! The host-derived `backup_plans` of a critical resource (RDS, EBS,
//! DynamoDB, EFS): the AWS Backup plans that select it and where each
//! copies its recovery points (docs/resource-model.md, "Derived
//! attributes"). Read by PILLAR-BAK-001 and PILLAR-RDS-002.

use serde_json::Value;

use crate::{Attr, Resource};

const AT: &str = "/backup_plans";

/// A plan known to select the resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub name: String,
    /// Regions of its copy actions' destination vaults; `None` if unknown.
    pub copy_regions: Option<Vec<String>>,
    /// Accounts of those vaults; `None` if unknown.
    pub copy_accounts: Option<Vec<String>>,
}

/// What is known of the plans that select a resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    pub plans: Vec<Plan>,
    /// Some plan may select it, but its selection could not be decided.
    pub undecided: bool,
}

impl Coverage {
    /// A known plan copies to a region other than `region`: `Some(true)`;
    /// `None` when that cannot be ruled out (copies unknown, a plan
    /// undecided, or the resource's own region unknown while a plan copies).
    pub fn copies_out_of_region(&self, region: Option<&str>) -> Option<bool> {
        let mut unsure = self.undecided;
        for plan in &self.plans {
            match (&plan.copy_regions, region) {
                (None, _) => unsure = true,
                (Some(list), Some(home)) if list.iter().any(|r| r != home) => return Some(true),
                (Some(list), None) if !list.is_empty() => unsure = true,
                _ => {}
            }
        }
        if unsure { None } else { Some(false) }
    }
}

/// The resource's coverage. `Err(())` when the whole attribute is unknown;
/// an absent attribute (a snapshot no host derived) reads as no plan.
#[allow(clippy::result_unit_err)]
pub fn coverage(r: &Resource) -> Result<Coverage, ()> {
    let list = match r.attr(AT) {
        Attr::Unknown => return Err(()),
        Attr::Absent => {
            return Ok(Coverage {
                plans: Vec::new(),
                undecided: false,
            });
        }
        Attr::Known(v) => v.as_array().cloned().unwrap_or_default(),
    };
    let mut coverage = Coverage {
        plans: Vec::new(),
        undecided: false,
    };
    for (i, element) in list.iter().enumerate() {
        let at = format!("{AT}/{i}");
        if r.is_unknown(&at) || element.is_null() {
            coverage.undecided = true;
            continue;
        }
        let strings = |field: &str| -> Option<Vec<String>> {
            if r.is_unknown(&format!("{at}/{field}")) {
                return None;
            }
            element.get(field).and_then(Value::as_array).map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
        };
        coverage.plans.push(Plan {
            name: element
                .get("name")
                .and_then(Value::as_str)
                .or_else(|| element.get("arn").and_then(Value::as_str))
                .unwrap_or("a backup plan")
                .to_owned(),
            copy_regions: strings("copy_regions"),
            copy_accounts: strings("copy_accounts"),
        });
    }
    Ok(coverage)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::resource;
    use serde_json::json;

    #[test]
    fn plans_undecided_elements_and_copies() {
        let r = resource(
            "aws_db_instance",
            json!({"backup_plans": [{"name": "daily", "copy_regions": ["eu-central-1"], "copy_accounts": []}, null]}),
            &["/backup_plans/1"],
        );
        let c = coverage(&r).expect("known");
        assert!(c.undecided);
        assert_eq!(
            c.plans[0].copy_regions,
            Some(vec!["eu-central-1".to_owned()])
        );
        assert_eq!(c.copies_out_of_region(Some("eu-west-1")), Some(true));
        assert_eq!(c.copies_out_of_region(Some("eu-central-1")), None);
        let none = resource("aws_db_instance", json!({"backup_plans": []}), &[]);
        assert_eq!(
            coverage(&none).map(|c| c.copies_out_of_region(Some("x"))),
            Ok(Some(false))
        );
        let unknown = resource(
            "aws_db_instance",
            json!({"backup_plans": null}),
            &["/backup_plans"],
        );
        assert!(coverage(&unknown).is_err());
    }
}
