// Validates Argo CD objects against the Argo CD CRD schemas (@kubernetes-models/argo-cd).
// Input: a JSON array of objects on stdin. Output: one line per object; exit 1 if any is invalid
// or of a kind this script does not know (an unchecked object must not pass silently).
import { readFileSync } from "node:fs";
import {
  AppProject,
  Application,
  ApplicationSet,
} from "@kubernetes-models/argo-cd/argoproj.io/v1alpha1";

const models = { AppProject, Application, ApplicationSet };
const objects = JSON.parse(readFileSync(0, "utf8"));
let failed = 0;

for (const object of objects) {
  const label = `${object.kind}/${object.metadata?.name}`;
  const Model = models[object.kind];
  if (object.apiVersion !== "argoproj.io/v1alpha1" || !Model) {
    console.log(`FAIL ${label}: not an Argo CD object this script validates`);
    failed += 1;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`ok   ${label}`);
  } catch (error) {
    console.log(`FAIL ${label}: ${error.message}`);
    failed += 1;
  }
}
process.exit(failed ? 1 : 0);
