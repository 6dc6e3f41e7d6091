const v8=require('v8'),vm=require('vm'); v8.setFlagsFromString('--expose-gc'); const gc=vm.runInNewContext('gc');
const { audio } = require('kernel-lib'); const fs=require('fs');
(async()=>{
  const b=new Uint8Array(fs.readFileSync('test/fixtures/formats/mono-16k.opus'));
  for (let r=0;r<5;r++){ for (let i=0;i<60;i++) await audio.decodeAudio(b); gc(); await new Promise(r=>setTimeout(r,200)); gc(); const m=process.memoryUsage(); console.log((m.external/2**20).toFixed(1), (m.rss/2**20).toFixed(0)); }
})();
