// libsvm-js ships no type declarations; this covers the part used in src/models/svm.ts.
declare module 'libsvm-js/asm.js' {
  interface SvmOptions {
    type?: number;
    kernel?: number;
    cost?: number;
    gamma?: number;
    quiet?: boolean;
  }
  interface SvmInstance {
    train(samples: number[][], labels: number[]): void;
    predict(samples: number[][]): number[];
    free(): void;
  }
  interface SvmClass {
    new (options: SvmOptions): SvmInstance;
    KERNEL_TYPES: { LINEAR: number; POLYNOMIAL: number; RBF: number; SIGMOID: number; PRECOMPUTED: number };
    SVM_TYPES: { C_SVC: number; NU_SVC: number; ONE_CLASS: number; EPSILON_SVR: number; NU_SVR: number };
  }
  const load: Promise<SvmClass>;
  export default load;
}
