'use strict';
/*
 * FHIR Works on AWS (fhir-works-on-aws-routing + fhir-works-on-aws-persistence-ddb, both from npm)
 * on 127.0.0.1, with local stand-ins for the AWS services it calls.
 *
 *   node server.cjs [--port 8090] [--glue-standin]
 *
 * What answers the conformance suite is FHIR Works' own code:
 *   - fhir-works-on-aws-routing: the express app (kick-off, status, cancel routes, manifest JSON,
 *     error OperationOutcomes, /metadata).
 *   - fhir-works-on-aws-persistence-ddb: DynamoDbDataService as the BulkDataAccess (job records,
 *     throttling, cancel semantics, output URLs presigned for S3 with response-content-type).
 * The AWS services underneath are third-party emulators from npm: dynalite (DynamoDB) and s3rver
 * (S3; serves the output files). STS AssumeRole and Step Functions StartExecution answer from
 * ./aws-standins.cjs, which does nothing with them but return well-formed AWS responses.
 *
 * Without --glue-standin no export ever finishes: in AWS the work is done by a Step Functions
 * state machine driving an AWS Glue (PySpark) job, neither of which is on npm. With
 * --glue-standin, ./aws-standins.cjs runs that state machine (the deployment's
 * state-machine-definition.yaml, transcribed) calling persistence-ddb's own Lambda handlers, and
 * answers the Glue API for a job that does what export-script.py does. That mode is OUR code
 * deciding when a job finishes and what bytes the files hold; see external/README.md.
 */
const path = require('node:path');
const os = require('node:os');
const fs = require('node:fs');

const args = process.argv.slice(2);
const port = Number(args[args.indexOf('--port') + 1] || 0) || 8090;
const glueStandin = args.includes('--glue-standin');
const HOST = '127.0.0.1';

async function main() {
  const { startAwsStandins } = require('./aws-standins.cjs');

  // 1. DynamoDB: dynalite, in memory.
  const dynalite = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise((resolve) => dynalite.listen(0, HOST, resolve));
  const ddbEndpoint = `http://${HOST}:${dynalite.address().port}`;

  // 2. S3: s3rver, in a scratch directory, with the export bucket.
  const S3rver = require('s3rver');
  const s3dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwoa-s3-'));
  const bucket = 'fhir-export-results';
  const s3rver = new S3rver({
    address: HOST, port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: bucket }],
  });
  const s3addr = await s3rver.run();
  const s3Endpoint = `http://${HOST}:${s3addr.port}`;

  // 3. The environment FHIR Works reads at require time (names from its source; values ours).
  Object.assign(process.env, {
    IS_OFFLINE: 'true', // their switch for local runs: static credentials, X-Ray quiet
    AWS_REGION: 'us-west-2',
    ACCESS_KEY: 'S3RVER', // s3rver's built-in key pair; dynalite ignores credentials
    SECRET_KEY: 'S3RVER',
    RESOURCE_TABLE: 'resource-db',
    EXPORT_REQUEST_TABLE: 'export-request',
    EXPORT_REQUEST_TABLE_JOB_STATUS_INDEX: 'jobStatus-index',
    EXPORT_RESULTS_BUCKET: bucket,
    EXPORT_RESULTS_SIGNER_ROLE_ARN: 'arn:aws:iam::123456789000:role/export-results-signer',
    EXPORT_STATE_MACHINE_ARN: 'arn:aws:states:us-west-2:123456789000:stateMachine:BulkExportStateMachine',
    GLUE_JOB_NAME: 'fhir-export-job',
  });

  // 4. Point every AWS SDK v2 client at the local endpoints (service-specific global config).
  const AWS = require('aws-sdk');
  const standins = await startAwsStandins({ host: HOST, glueStandin, s3Endpoint, ddbEndpoint, bucket });
  AWS.config.update({ region: 'us-west-2', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
  AWS.config.dynamodb = { endpoint: ddbEndpoint };
  AWS.config.s3 = { endpoint: s3Endpoint, s3ForcePathStyle: true, signatureVersion: 'v4' };
  AWS.config.sts = { endpoint: standins.url };
  AWS.config.stepfunctions = { endpoint: standins.url };
  AWS.config.glue = { endpoint: standins.url };

  // 5. Tables as the deployment defines them (serverless.yaml: key schema and the jobStatus GSI).
  const ddb = new AWS.DynamoDB();
  await ddb.createTable({
    TableName: 'resource-db',
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'vid', AttributeType: 'N' }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'vid', KeyType: 'RANGE' }],
    BillingMode: 'PAY_PER_REQUEST',
  }).promise();
  await ddb.createTable({
    TableName: 'export-request',
    AttributeDefinitions: [{ AttributeName: 'jobId', AttributeType: 'S' }, { AttributeName: 'jobStatus', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'jobId', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{
      IndexName: 'jobStatus-index',
      KeySchema: [{ AttributeName: 'jobStatus', KeyType: 'HASH' }],
      Projection: { ProjectionType: 'KEYS_ONLY' },
    }],
    BillingMode: 'PAY_PER_REQUEST',
  }).promise();

  // 6. FHIR Works itself.
  const { generateServerlessRouter } = require('fhir-works-on-aws-routing');
  const { stubs } = require('fhir-works-on-aws-interface');
  const { DynamoDbDataService, DynamoDb } = require('fhir-works-on-aws-persistence-ddb');
  const dataService = new DynamoDbDataService(DynamoDb);

  // A little data for an export to find, written by FHIR Works' own create.
  for (const [i, family] of ['Alvarez', 'Baker', 'Chen'].entries()) {
    await dataService.createResource({
      resourceType: 'Patient',
      resource: { resourceType: 'Patient', name: [{ family, given: [`P${i + 1}`] }], gender: 'unknown' },
    });
  }

  const baseUrl = `http://${HOST}:${port}`;
  const fhirConfig = {
    configVersion: 1,
    productInfo: { orgName: 'fhir-async-conformance external run' },
    auth: { authorization: stubs.passThroughAuthz, strategy: {} },
    server: { url: baseUrl },
    validators: [],
    profile: {
      fhirVersion: '4.0.1',
      systemOperations: [],
      systemSearch: stubs.search,
      systemHistory: stubs.history,
      bundle: stubs.bundle,
      bulkDataAccess: dataService,
      // No genericResource: its search component is Elasticsearch (fhir-works-on-aws-search-es),
      // and /metadata calls typeSearch.getCapabilities(), which the interface's stub throws from.
    },
  };
  const app = generateServerlessRouter(fhirConfig, []);
  const server = app.listen(port, HOST, () => {
    process.stdout.write(`fhir-works-on-aws listening on ${baseUrl} (glue stand-in: ${glueStandin ? 'on' : 'off'})\n`);
  });

  const stop = async () => {
    server.close();
    standins.close();
    dynalite.close();
    await s3rver.close();
    fs.rmSync(s3dir, { recursive: true, force: true });
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
