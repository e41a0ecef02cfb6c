//! Seeding Lambda functions, SNS topics and SQS queues (called from
//! [`crate::seed::scenario`]). moto 5.1.22 round-trips everything used here
//! except a function's `DeadLetterConfig` and `KMSKeyArn`, which it drops:
//! the compliant function keeps its failed events through an on-failure
//! destination instead, and the dead-letter queue is tested against a
//! recorded response (`fixtures/aws-recorded/lambda/`).

use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types as lt;

use crate::seed::{Clients, Result, Scenario};

/// The smallest zip archive (its end-of-central-directory record alone):
/// moto stores a function's code without running it, so no Docker.
const EMPTY_ZIP: &[u8] = &[
    0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// A secret in plain text in the non-compliant function's environment
/// (PILLAR-LMB-003): reports must never show it.
pub const FUNCTION_SECRET: &str = "Sup3r-S3cret-Lambda-Pa55";

/// An access policy that lets anyone in (PILLAR-SNS-002, PILLAR-SQS-002).
const OPEN_POLICY: &str = r#"{"Version":"2012-10-17","Statement":[{"Sid":"anyone","Effect":"Allow","Principal":"*","Action":["sns:Publish","sqs:SendMessage"],"Resource":"*"}]}"#;

/// PILLAR-LMB-001 to 006: a function passing every rule (on-failure
/// destination, active tracing, an S3 permission tied to its bucket, a URL
/// behind IAM), one failing all six, and a container image (no runtime to
/// judge) that passes.
pub(crate) async fn functions(c: &Clients, s: &mut Scenario) -> Result<()> {
    let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#;
    let role = c
        .iam
        .create_role()
        .role_name("pillar-lambda")
        .assume_role_policy_document(trust)
        .send()
        .await?;
    let role = role
        .role()
        .map(|r| r.arn().to_owned())
        .ok_or("CreateRole returned no role")?;
    let zip = || {
        lt::FunctionCode::builder()
            .zip_file(Blob::new(EMPTY_ZIP))
            .build()
    };
    let env = |k: &str, v: &str| lt::Environment::builder().variables(k, v).build();
    let active = lt::TracingConfig::builder()
        .mode(lt::TracingMode::Active)
        .build();

    let good = c
        .lambda
        .create_function()
        .function_name("pillar-good-fn")
        .runtime(lt::Runtime::Python312)
        .role(&role)
        .handler("app.handler")
        .code(zip())
        .environment(env("LOG_LEVEL", "info"))
        .tracing_config(active.clone())
        .tags("owner", "pillar")
        .send()
        .await?;
    s.fn_good = good
        .function_arn()
        .ok_or("CreateFunction returned no ARN")?
        .to_owned();
    c.lambda
        .put_function_event_invoke_config()
        .function_name("pillar-good-fn")
        .destination_config(
            lt::DestinationConfig::builder()
                .on_failure(
                    lt::OnFailure::builder()
                        .destination(&s.queue_dlq_arn)
                        .build(),
                )
                .build(),
        )
        .send()
        .await?;
    c.lambda
        .add_permission()
        .function_name("pillar-good-fn")
        .statement_id("uploads")
        .action("lambda:InvokeFunction")
        .principal("s3.amazonaws.com")
        .source_arn("arn:aws:s3:::pillar-uploads")
        .source_account(crate::ACCOUNT)
        .send()
        .await?;
    c.lambda
        .create_function_url_config()
        .function_name("pillar-good-fn")
        .auth_type(lt::FunctionUrlAuthType::AwsIam)
        .send()
        .await?;

    let bad = c
        .lambda
        .create_function()
        .function_name("pillar-bad-fn")
        .runtime(lt::Runtime::from("nodejs16.x"))
        .role(&role)
        .handler("index.handler")
        .code(zip())
        .environment(env("DB_PASSWORD", FUNCTION_SECRET))
        .send()
        .await?;
    s.fn_bad = bad
        .function_arn()
        .ok_or("CreateFunction returned no ARN")?
        .to_owned();
    c.lambda
        .add_permission()
        .function_name("pillar-bad-fn")
        .statement_id("anyone")
        .action("lambda:InvokeFunction")
        .principal("*")
        .send()
        .await?;
    c.lambda
        .create_function_url_config()
        .function_name("pillar-bad-fn")
        .auth_type(lt::FunctionUrlAuthType::None)
        .send()
        .await?;

    let image = c
        .lambda
        .create_function()
        .function_name("pillar-image-fn")
        .package_type(lt::PackageType::Image)
        .role(&role)
        .code(
            lt::FunctionCode::builder()
                .image_uri(format!(
                    "{}.dkr.ecr.us-east-1.amazonaws.com/pillar:latest",
                    crate::ACCOUNT
                ))
                .build(),
        )
        .tracing_config(active)
        .send()
        .await?;
    s.fn_image = image
        .function_arn()
        .ok_or("CreateFunction returned no ARN")?
        .to_owned();
    c.lambda
        .put_function_event_invoke_config()
        .function_name("pillar-image-fn")
        .destination_config(
            lt::DestinationConfig::builder()
                .on_failure(
                    lt::OnFailure::builder()
                        .destination(&s.queue_dlq_arn)
                        .build(),
                )
                .build(),
        )
        .send()
        .await?;
    Ok(())
}

/// PILLAR-SNS-001 to 003: a topic under a customer-managed key with AWS's
/// default policy (passes), one unencrypted and open to anyone, one under
/// the AWS-managed key.
pub(crate) async fn topics(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_sns::types::Tag;
    let owner = Tag::builder().key("owner").value("pillar").build()?;
    let mut arns = Vec::new();
    for (name, key) in [
        ("pillar-events", Some(s.key_good.as_str())),
        ("pillar-open-events", None),
        ("pillar-aws-key-events", Some("alias/aws/sns")),
    ] {
        let mut create = c.sns.create_topic().name(name).tags(owner.clone());
        if let Some(key) = key {
            create = create.attributes("KmsMasterKeyId", key);
        }
        let out = create.send().await?;
        arns.push(
            out.topic_arn()
                .ok_or("CreateTopic returned no ARN")?
                .to_owned(),
        );
    }
    c.sns
        .set_topic_attributes()
        .topic_arn(&arns[1])
        .attribute_name("Policy")
        .attribute_value(OPEN_POLICY)
        .send()
        .await?;
    let mut arns = arns.into_iter();
    s.topic_good = arns.next().unwrap_or_default();
    s.topic_bad = arns.next().unwrap_or_default();
    s.topic_aws_key = arns.next().unwrap_or_default();
    Ok(())
}

/// PILLAR-SQS-001 to 004: a dead-letter queue and a queue sending to it
/// under a customer-managed key (both pass), one with no encryption, an
/// open policy and no dead-letter queue, one under the AWS-managed key.
pub(crate) async fn queues(c: &Clients, s: &mut Scenario) -> Result<()> {
    use aws_sdk_sqs::types::QueueAttributeName as A;
    let create = |name: &str| {
        c.sqs
            .create_queue()
            .queue_name(name)
            .tags("owner", "pillar")
    };
    let dlq = create("pillar-dlq").send().await?;
    s.queue_dlq = dlq
        .queue_url()
        .ok_or("CreateQueue returned no URL")?
        .to_owned();
    s.queue_dlq_arn = format!("arn:aws:sqs:us-east-1:{}:pillar-dlq", crate::ACCOUNT);
    let redrive = format!(
        r#"{{"deadLetterTargetArn":"{}","maxReceiveCount":5}}"#,
        s.queue_dlq_arn
    );
    let good = create("pillar-work")
        .attributes(A::KmsMasterKeyId, &s.key_good)
        .attributes(A::RedrivePolicy, &redrive)
        .send()
        .await?;
    s.queue_good = good
        .queue_url()
        .ok_or("CreateQueue returned no URL")?
        .to_owned();
    let bad = create("pillar-open-queue")
        .attributes(A::SqsManagedSseEnabled, "false")
        .attributes(A::Policy, OPEN_POLICY)
        .send()
        .await?;
    s.queue_bad = bad
        .queue_url()
        .ok_or("CreateQueue returned no URL")?
        .to_owned();
    let aws_key = create("pillar-aws-key-queue")
        .attributes(A::KmsMasterKeyId, "alias/aws/sqs")
        .attributes(A::SqsManagedSseEnabled, "false")
        .attributes(A::RedrivePolicy, &redrive)
        .send()
        .await?;
    s.queue_aws_key = aws_key
        .queue_url()
        .ok_or("CreateQueue returned no URL")?
        .to_owned();
    Ok(())
}
