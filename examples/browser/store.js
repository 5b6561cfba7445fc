// The autosave: the current model's checkpoint in IndexedDB, with the text it trains on,
// so a reload or a closed tab loses at most one autosave interval of training. One record;
// each autosave replaces it, and discarding the model deletes it.
const DB = "minrnn-demo";
const STORE = "autosave";
const KEY = "current";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, act) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = act(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

/** Saves { bytes, iteration, about, savedAt, text, textName }; text null is the built-in corpus. */
export const saveModel = (record) => run("readwrite", (store) => store.put(record, KEY));
/** The saved record, or undefined. */
export const savedModel = () => run("readonly", (store) => store.get(KEY));
export const forgetModel = () => run("readwrite", (store) => store.delete(KEY));
