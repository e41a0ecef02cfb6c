use super::*;
use pillar_rule_sdk::testing::{resource, run, verdicts_of};
use serde_json::{Value, json};

fn container(extra: Value) -> Value {
    let mut c = json!({
        "name": "app", "image": "app:1", "user": "1000", "readonlyRootFilesystem": true,
        "logConfiguration": {"logDriver": "awslogs", "options": {}},
        "environment": [{"name": "HOST", "value": "db.internal"}]
    });
    for (k, v) in extra.as_object().into_iter().flatten() {
        c[k] = v.clone();
    }
    c
}

fn task(containers: Value, unknown: &[&str]) -> Resource {
    resource(
        "aws_ecs_task_definition",
        json!({"family": "app", "revision": 3, "network_mode": "awsvpc", "container_definitions": containers}),
        unknown,
    )
}

#[test]
fn containers_are_judged_one_by_one() {
    let batch = [
        task(json!([container(json!({}))]), &[]),
        task(
            json!([
                container(json!({"privileged": true, "user": "root:root"})),
                container(
                    json!({"user": null, "readonlyRootFilesystem": false, "logConfiguration": null})
                )
            ]),
            &[],
        ),
        task(Value::Null, &["/container_definitions"]),
        task(json!([container(json!({"user": "0"}))]), &[]),
    ];
    let f = run::<EcsPack>("aws_ecs_task_definition", &batch, json!({}));
    assert_eq!(
        verdicts_of(&f, PRIVILEGED),
        vec![(1, "fail"), (2, "unknown")]
    );
    assert_eq!(
        verdicts_of(&f, ROOT_USER),
        vec![(1, "fail"), (1, "fail"), (2, "unknown"), (3, "fail")]
    );
    assert_eq!(
        verdicts_of(&f, WRITABLE_ROOT_FS),
        vec![(1, "fail"), (2, "unknown")]
    );
    assert_eq!(verdicts_of(&f, NO_LOGS), vec![(1, "fail"), (2, "unknown")]);
    assert_eq!(verdicts_of(&f, ENV_SECRETS), vec![(2, "unknown")]);
    assert_eq!(verdicts_of(&f, HOST_NETWORK), Vec::<(u32, &str)>::new());
}

#[test]
fn environment_secrets_are_masked() {
    let env = json!([
        {"name": "DB_PASSWORD", "value": "Sup3rS3cret!"},
        {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAIOSFODNN7EXAMPLE"},
        {"name": "API_KEY", "value": "${API_KEY}"},
        {"name": "LOG_LEVEL", "value": "debug"}
    ]);
    let batch = [task(json!([container(json!({"environment": env}))]), &[])];
    let f = run::<EcsPack>("aws_ecs_task_definition", &batch, json!({}));
    assert_eq!(verdicts_of(&f, ENV_SECRETS), vec![(0, "fail")]);
    let message =
        &f.0.iter()
            .find(|e| e.rule_id == ENV_SECRETS)
            .expect("finding")
            .message;
    assert!(
        message.contains("DB_PASSWORD") && message.contains("AKIA"),
        "{message}"
    );
    assert!(
        !message.contains("Sup3rS3cret") && !message.contains("IOSFODNN7EXAMPLE"),
        "{message}"
    );
    assert!(!message.contains("API_KEY"), "{message}");
}

#[test]
fn host_network_mode() {
    let batch = [
        resource(
            "aws_ecs_task_definition",
            json!({"family": "a", "network_mode": "host"}),
            &[],
        ),
        resource(
            "aws_ecs_task_definition",
            json!({"family": "b", "network_mode": "bridge"}),
            &[],
        ),
        resource(
            "aws_ecs_task_definition",
            json!({"family": "c", "network_mode": null}),
            &["/network_mode"],
        ),
    ];
    let f = run::<EcsPack>("aws_ecs_task_definition", &batch, json!({}));
    assert_eq!(
        verdicts_of(&f, HOST_NETWORK),
        vec![(0, "fail"), (2, "unknown")]
    );
}

fn service(extra: Value, unknown: &[&str]) -> Resource {
    let mut attrs = json!({
        "name": "web", "desired_count": 2, "scheduling_strategy": "REPLICA",
        "network_configuration": {"subnets": ["subnet-a", "subnet-b"], "assign_public_ip": false, "security_groups": []},
        "subnet_availability_zones": ["eu-west-1a", "eu-west-1b"]
    });
    for (k, v) in extra.as_object().into_iter().flatten() {
        attrs[k] = v.clone();
    }
    resource("aws_ecs_service", attrs, unknown)
}

#[test]
fn services_count_zones_and_public_ips() {
    let batch = [
        service(json!({}), &[]),
        service(
            json!({"desired_count": 1, "subnet_availability_zones": ["eu-west-1a"],
                   "network_configuration": {"subnets": ["subnet-a"], "assign_public_ip": true}}),
            &[],
        ),
        service(
            json!({"desired_count": null, "subnet_availability_zones": null, "network_configuration": null}),
            &[
                "/desired_count",
                "/subnet_availability_zones",
                "/network_configuration",
            ],
        ),
        service(
            json!({"desired_count": 0, "scheduling_strategy": "DAEMON"}),
            &[],
        ),
    ];
    let f = run::<EcsPack>("aws_ecs_service", &batch, json!({}));
    assert_eq!(
        verdicts_of(&f, SINGLE_TASK),
        vec![(1, "fail"), (2, "unknown")]
    );
    assert_eq!(verdicts_of(&f, ONE_AZ), vec![(1, "fail"), (2, "unknown")]);
    assert_eq!(
        verdicts_of(&f, PUBLIC_IP),
        vec![(1, "fail"), (2, "unknown")]
    );
}

#[test]
fn clusters_container_insights() {
    let cluster = |setting: Value, unknown: &[&str]| {
        resource(
            "aws_ecs_cluster",
            json!({"name": "main", "setting": setting}),
            unknown,
        )
    };
    let batch = [
        cluster(
            json!([{"name": "containerInsights", "value": "enabled"}]),
            &[],
        ),
        cluster(
            json!([{"name": "containerInsights", "value": "enhanced"}]),
            &[],
        ),
        cluster(
            json!([{"name": "containerInsights", "value": "disabled"}]),
            &[],
        ),
        cluster(json!([]), &[]),
        cluster(Value::Null, &["/setting"]),
    ];
    let f = run::<EcsPack>("aws_ecs_cluster", &batch, json!({}));
    assert_eq!(
        verdicts_of(&f, CONTAINER_INSIGHTS),
        vec![(2, "fail"), (3, "fail"), (4, "unknown")]
    );
}
