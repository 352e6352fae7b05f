'use strict';
/*
 * Local answers for the three AWS APIs FHIR Works calls that have no emulator on npm here.
 *
 * Always (no behaviour of ours reaches the suite through these):
 *   - STS AssumeRole: returns s3rver's static key pair, which persistence-ddb then uses to presign
 *     the output URLs.
 *   - Step Functions StartExecution: returns an executionArn. Without --glue-standin nothing runs,
 *     exactly as when the state machine is missing: jobs stay "in-progress" for ever.
 *
 * Only with --glue-standin (OUR code, clearly not FHIR Works):
 *   - The bulk export state machine (fhir-works-on-aws-deployment bulkExport/
 *     state-machine-definition.yaml) transcribed as a loop that calls persistence-ddb's own
 *     Lambda handlers: startExportJobHandler, then every WAIT seconds getJobStatusHandler, then
 *     stopExportJobHandler + updateStatus "canceled", or updateStatus "completed"/"failed".
 *   - The Glue API for one job: StartJobRun, GetJobRun (RUNNING for GLUE_RUN seconds, then it
 *     writes the files and reports SUCCEEDED), BatchStopJobRun. The files are what
 *     bulkExport/glueScripts/export-script.py writes: the resource table's items whose
 *     meta.lastUpdated is in (since, transactionTime], documentStatus AVAILABLE/LOCKED/
 *     PENDING_DELETE, of the requested types, without documentStatus/lockEndTs/vid/_references,
 *     one JSON object per line, as <jobId>/<Type>-00000.ndjson.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');

const WAIT_SECONDS = Number(process.env.FWOA_SFN_WAIT_SECONDS ?? 10); // waitForExportJob: Seconds: 10
const GLUE_RUN_SECONDS = Number(process.env.FWOA_GLUE_RUN_SECONDS ?? 5);

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startAwsStandins({ host, glueStandin, bucket }) {
  const AWS = require('aws-sdk');
  const glueRuns = new Map(); // RunId -> { state, startedAt, args }

  async function writeExportFiles(args) {
    const ddb = new AWS.DynamoDB();
    const s3 = new AWS.S3();
    const since = new Date(args['--since']);
    const transactionTime = new Date(args['--transactionTime']);
    const types = args['--type'] ? new Set(args['--type'].split(',')) : undefined;
    const byType = new Map();
    let ExclusiveStartKey;
    do {
      const page = await ddb.scan({ TableName: process.env.RESOURCE_TABLE, ExclusiveStartKey }).promise();
      for (const raw of page.Items ?? []) {
        const item = AWS.DynamoDB.Converter.unmarshall(raw);
        const lastUpdated = new Date(item.meta?.lastUpdated);
        if (!(lastUpdated > since && lastUpdated <= transactionTime)) continue;
        if (!['AVAILABLE', 'LOCKED', 'PENDING_DELETE'].includes(item.documentStatus)) continue;
        if (types && !types.has(item.resourceType)) continue;
        for (const field of ['documentStatus', 'lockEndTs', 'vid', '_references']) delete item[field];
        if (!byType.has(item.resourceType)) byType.set(item.resourceType, []);
        byType.get(item.resourceType).push(JSON.stringify(item));
      }
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey);
    for (const [type, lines] of byType) {
      await s3.putObject({ Bucket: bucket, Key: `${args['--jobId']}/${type}-00000.ndjson`, Body: `${lines.join('\n')}\n` }).promise();
    }
  }

  async function runStateMachine(input) {
    const ddbPersistence = require('fhir-works-on-aws-persistence-ddb');
    const update = (state, status) => ddbPersistence.updateStatusStatusHandler({ globalParams: state, status });
    let state = input;
    try {
      state = await ddbPersistence.startExportJobHandler(state);
      for (;;) {
        await sleep(WAIT_SECONDS * 1000);
        state = await ddbPersistence.getJobStatusHandler(state);
        const { isCanceled, glueJobRunStatus } = state.executionParameters;
        if (isCanceled) {
          await ddbPersistence.stopExportJobHandler(state);
          await update(state, 'canceled');
          return;
        }
        if (glueJobRunStatus === 'SUCCEEDED') { await update(state, 'completed'); return; }
        if (glueJobRunStatus === 'STARTING' || glueJobRunStatus === 'RUNNING') continue;
        await update(state, 'failed');
        return;
      }
    } catch (err) {
      console.error('state machine stand-in:', err);
      await update(state, 'failed').catch(() => {});
    }
  }

  async function handle(req, res) {
    const body = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const json = (status, obj, type = 'application/x-amz-json-1.1') => {
      res.writeHead(status, { 'Content-Type': type });
      res.end(JSON.stringify(obj));
    };

    if (!target && new URLSearchParams(body).get('Action') === 'AssumeRole') {
      res.writeHead(200, { 'Content-Type': 'text/xml' });
      res.end(`<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>S3RVER</AccessKeyId><SecretAccessKey>S3RVER</SecretAccessKey><SessionToken>local</SessionToken>
<Expiration>${new Date(Date.now() + 3600e3).toISOString()}</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>local:signBulkExportResults</AssumedRoleId><Arn>arn:aws:sts::123456789000:assumed-role/export-results-signer/signBulkExportResults</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`);
      return;
    }
    const params = body ? JSON.parse(body) : {};
    switch (target) {
      case 'AWSStepFunctions.StartExecution':
        if (glueStandin) void runStateMachine(JSON.parse(params.input));
        json(200, { executionArn: `${params.stateMachineArn.replace(':stateMachine:', ':execution:')}:${params.name}`, startDate: Date.now() / 1000 }, 'application/x-amz-json-1.0');
        return;
      case 'AWSGlue.StartJobRun': {
        const id = `jr_${randomUUID().replace(/-/g, '')}`;
        glueRuns.set(id, { state: 'RUNNING', startedAt: Date.now(), args: params.Arguments ?? {} });
        json(200, { JobRunId: id });
        return;
      }
      case 'AWSGlue.GetJobRun': {
        const run = glueRuns.get(params.RunId);
        if (!run) { json(400, { __type: 'EntityNotFoundException', message: 'no such run' }); return; }
        if (run.state === 'RUNNING' && Date.now() - run.startedAt >= GLUE_RUN_SECONDS * 1000) {
          try { await writeExportFiles(run.args); run.state = 'SUCCEEDED'; } catch (err) { console.error(err); run.state = 'FAILED'; }
        }
        json(200, { JobRun: { Id: params.RunId, JobName: params.JobName, JobRunState: run.state } });
        return;
      }
      case 'AWSGlue.BatchStopJobRun':
        for (const id of params.JobRunIds ?? []) { const run = glueRuns.get(id); if (run) run.state = 'STOPPED'; }
        json(200, { SuccessfulSubmissions: (params.JobRunIds ?? []).map((JobRunId) => ({ JobName: params.JobName, JobRunId })), Errors: [] });
        return;
      default:
        json(400, { __type: 'UnknownOperationException', message: `not emulated: ${target || 'query API'}` });
    }
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => { console.error(err); res.writeHead(500); res.end(); });
  });
  await new Promise((resolve) => server.listen(0, host, resolve));
  return { url: `http://${host}:${server.address().port}`, close: () => server.close() };
}

module.exports = { startAwsStandins };
