// Lists the Pod Security Standards define, shared by the built-in policies and their
// ValidatingAdmissionPolicy export (compat/vap/pss-cel.ts) so the two cannot drift apart.

/** The container runtime default set: what baseline lets a container add (names without CAP_, case-sensitive). */
export const PSS_BASELINE_CAPABILITIES: readonly string[] = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]

/** Volume sources restricted allows: ephemeral, projected and claim-backed storage. */
export const PSS_ALLOWED_VOLUMES: readonly string[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]

/** Every other in-tree volume source of the core API. A volume with none of them is defaulted to emptyDir. */
export const PSS_RESTRICTED_VOLUMES: readonly string[] = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
]
