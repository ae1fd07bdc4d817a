/** `npm run example -- <name>`: runs one example against the demo city of `npm start`. */
import { runMain } from './client';
import { main as doctorWorkstation } from './doctor-workstation';
import { main as familyDoctorExamsAndBeds } from './family-doctor-exams-and-beds';
import { main as familyDoctorReferral } from './family-doctor-referral';
import { main as fhirEverything } from './fhir-everything';
import { main as healthCheckup } from './health-checkup';
import { main as hospitalBatchUpload } from './hospital-batch-upload';
import { main as internetHospitalPharmacy } from './internet-hospital-pharmacy';
import { main as internetNursing } from './internet-nursing';
import { main as oneStopSettlement } from './one-stop-settlement';
import { main as residentConsent } from './resident-consent';
import { main as smartReminders } from './smart-reminders';

const EXAMPLES: Record<string, () => Promise<unknown>> = {
  'doctor-workstation': doctorWorkstation,
  'internet-hospital-pharmacy': internetHospitalPharmacy,
  'family-doctor-referral': familyDoctorReferral,
  'resident-consent': residentConsent,
  'fhir-everything': fhirEverything,
  'hospital-batch-upload': hospitalBatchUpload,
  'internet-nursing': internetNursing,
  'smart-reminders': smartReminders,
  'family-doctor-exams-and-beds': familyDoctorExamsAndBeds,
  'one-stop-settlement': oneStopSettlement,
  'health-checkup': healthCheckup,
};

const name = process.argv[2];
const example = name ? EXAMPLES[name] : undefined;
if (!example) {
  console.error(`Usage: npm run example -- <${Object.keys(EXAMPLES).join('|')}>`);
  process.exit(2);
}
runMain(example);
