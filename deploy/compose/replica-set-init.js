// Initiates the compose file's replica set once; run again, it finds it initiated and only waits.
const members = ['mongo-1:27017', 'mongo-2:27017', 'mongo-3:27017'].map((host, index) => ({ _id: index, host }));
try {
  rs.status();
} catch (error) {
  if (error.codeName !== 'NotYetInitialized') throw error;
  rs.initiate({ _id: 'rs0', members });
}
while (!db.hello().primary) sleep(1000);
print(`replica set rs0: primary ${db.hello().primary}`);
